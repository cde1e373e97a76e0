"""the monthly report letter: a user's opt-in and the letters sent (one per organization, month and reader)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 08:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("monthly_report", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "monthly_report_letters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organization_id", sa.Integer(), sa.ForeignKey("organizations.id", ondelete="CASCADE")),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("organization_id", "month", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("monthly_report_letters")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("monthly_report")
