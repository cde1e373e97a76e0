"""manual metering points: register readings entered by hand

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("metering_points") as batch:
        batch.add_column(sa.Column("reading_mode", sa.String(10), nullable=False, server_default="interval"))
    op.create_table(
        "register_readings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "metering_point_id", sa.Integer(), sa.ForeignKey("metering_points.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registers", sa.JSON(), nullable=False),
        sa.Column("replacement", sa.Boolean(), nullable=False),
        sa.Column("entered_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("metering_point_id", "ts"),
    )
    op.create_index("ix_register_readings_metering_point_id", "register_readings", ["metering_point_id"])


def downgrade() -> None:
    op.drop_index("ix_register_readings_metering_point_id", "register_readings")
    op.drop_table("register_readings")
    with op.batch_alter_table("metering_points") as batch:
        batch.drop_column("reading_mode")
