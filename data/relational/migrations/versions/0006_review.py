"""readings held for review, the connection capacity of a metering point

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 10:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("metering_points") as batch:
        batch.add_column(sa.Column("max_power_kw", sa.Float(), nullable=True))
    op.create_table(
        "held_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(length=40), nullable=False),
        sa.Column("metering_point_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.Integer(), nullable=False),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("limit_kwh", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=254), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["metering_point_id"], ["metering_points.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_held_readings_batch_id", "held_readings", ["batch_id"])
    op.create_index("ix_held_readings_metering_point_id", "held_readings", ["metering_point_id"])
    op.create_index("ix_held_readings_state", "held_readings", ["state"])


def downgrade() -> None:
    op.drop_table("held_readings")
    with op.batch_alter_table("metering_points") as batch:
        batch.drop_column("max_power_kw")
