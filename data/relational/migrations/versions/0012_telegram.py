"""Telegram: a user's linked chat, the channel in notification preferences, the bot's update offset

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 08:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("telegram_chat_id", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("notification_preferences") as batch:
        batch.add_column(sa.Column("telegram", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "telegram_bot",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("update_offset", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("telegram_bot")
    with op.batch_alter_table("notification_preferences") as batch:
        batch.drop_column("telegram")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("telegram_chat_id")
