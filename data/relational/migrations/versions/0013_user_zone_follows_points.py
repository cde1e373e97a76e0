"""a user's zone: None until they choose one (their organization's points' zone applies)

Users who never saved their notification settings kept the Moscow default without choosing it; they now follow
their organization's points.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 08:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.alter_column("timezone", existing_type=sa.String(64), nullable=True, server_default=None)
    op.execute(
        "UPDATE users SET timezone = NULL WHERE timezone = 'Europe/Moscow' AND quiet_from IS NULL "
        "AND id NOT IN (SELECT user_id FROM notification_preferences)"
    )


def downgrade() -> None:
    op.execute("UPDATE users SET timezone = 'Europe/Moscow' WHERE timezone IS NULL")
    with op.batch_alter_table("users") as batch:
        batch.alter_column("timezone", existing_type=sa.String(64), nullable=False, server_default="Europe/Moscow")
