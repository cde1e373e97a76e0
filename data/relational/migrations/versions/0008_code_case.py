"""metering-point codes unique whatever their case (``SPB-OF-001`` and ``spb-of-001`` are one point)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_metering_points_code_lower", "metering_points", [sa.text("lower(code)")], unique=True)


def downgrade() -> None:
    op.drop_index("ix_metering_points_code_lower", table_name="metering_points")
