"""businesses priced as they are billed: a point's price category and voltage level; published monthly price
sheets and peak hours

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("metering_points") as batch:
        batch.add_column(sa.Column("price_category", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("voltage_level", sa.String(length=8), nullable=True))
    op.create_table(
        "market_price_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("voltage", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=254), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region", "month", "category", "voltage", "version"),
    )
    op.create_index("ix_market_price_sheets_region", "market_price_sheets", ["region"])
    op.create_table(
        "market_peak_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("planned", sa.JSON(), nullable=False),
        sa.Column("network", sa.JSON(), nullable=False),
        sa.Column("peak_hour", sa.JSON(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=254), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region", "month", "version"),
    )
    op.create_index("ix_market_peak_hours_region", "market_peak_hours", ["region"])


def downgrade() -> None:
    op.drop_table("market_peak_hours")
    op.drop_table("market_price_sheets")
    with op.batch_alter_table("metering_points") as batch:
        batch.drop_column("voltage_level")
        batch.drop_column("price_category")
