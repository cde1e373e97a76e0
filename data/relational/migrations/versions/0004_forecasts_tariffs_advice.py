"""tariff prices by region and date, point regions, organization budgets, forecast runs, recommendations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 19:00:00

The seed prices are what could be established from sources reachable when this was written; each row names
its source. Zone prices marked "рассчитано" are derived from the region's single-rate price with the zone
ratios of the published Moscow table of 2021 (day ×1.15, night ×0.335, peak ×1.2, half-peak ×1) and must be
checked against the regional regulator's order by an administrator (page «Тарифы»).
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_RATIOS = {
    ("single", "single"): 1.0,
    ("two_zone", "day"): 1.15,
    ("two_zone", "night"): 0.335,
    ("three_zone", "peak"): 1.2,
    ("three_zone", "half_peak"): 1.0,
    ("three_zone", "night"): 0.335,
}
_DERIVED = "рассчитано от одноставочной цены по соотношению зон московского тарифа 2021 г.; сверьте с приказом"
# (region, valid from, single-rate price, where the single-rate price comes from)
_SINGLE_RATE = (
    (
        "Москва",
        dt.date(2026, 1, 1),
        8.90,
        "Приказ ДЭПиР г. Москвы от 24.12.2025 № ДПР-ТР-407/25, население (газовые плиты), "
        "как приведено на pokazaniya-schetchikov.ru",
    ),
    (
        "Санкт-Петербург",
        dt.date(2024, 7, 1),
        6.21,
        "«Известия» о тарифах с 1 июля 2024 г. (в пересказе «Кубанских новостей»), население",
    ),
)


def upgrade() -> None:
    prices = op.create_table(
        "tariff_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("plan", sa.String(length=20), nullable=False),
        sa.Column("zone", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("price", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region", "plan", "zone", "valid_from"),
    )
    op.create_table(
        "forecast_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=10), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("model", sa.String(length=40), nullable=True),
        sa.Column("model_version", sa.String(length=20), nullable=True),
        sa.Column("step_s", sa.Integer(), nullable=False),
        sa.Column("train_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("train_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mape", sa.Float(), nullable=True),
        sa.Column("coverage", sa.Float(), nullable=True),
        sa.Column("baseline_mape", sa.Float(), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_forecast_runs_subject", "forecast_runs", ["subject", "subject_id", "fitted_at"])
    op.create_index("ix_forecast_runs_organization_id", "forecast_runs", ["organization_id"])
    op.create_table(
        "recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("meter_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("saving_rub_year", sa.Float(), nullable=False),
        sa.Column("saving_kwh_year", sa.Float(), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_by", sa.String(length=254), nullable=True),
        sa.Column("state_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state_strength", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meter_id"], ["metering_points.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organization_id", "key"),
    )
    op.create_index("ix_recommendations_organization_id", "recommendations", ["organization_id"])
    with op.batch_alter_table("metering_points", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region", sa.String(length=100), nullable=True))
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("budget_amount", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("budget_unit", sa.String(length=3), nullable=True))
    op.execute(
        "UPDATE metering_points SET region = "
        "(SELECT organizations.region FROM organizations WHERE organizations.id = metering_points.organization_id)"
    )
    now = dt.datetime.now(dt.UTC)
    rows = []
    for region, valid_from, single, source in _SINGLE_RATE:
        for (plan, zone), ratio in _RATIOS.items():
            rows.append(
                {
                    "region": region,
                    "plan": plan,
                    "zone": zone,
                    "valid_from": valid_from,
                    "price": round(single * ratio, 2),
                    "source": source if ratio == 1.0 else f"{_DERIVED} ({source})",
                    "updated_by": "migration 0004",
                    "updated_at": now,
                }
            )
    op.bulk_insert(prices, rows)


def downgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("budget_unit")
        batch_op.drop_column("budget_amount")
    with op.batch_alter_table("metering_points", schema=None) as batch_op:
        batch_op.drop_column("region")
    op.drop_index("ix_recommendations_organization_id", table_name="recommendations")
    op.drop_table("recommendations")
    op.drop_index("ix_forecast_runs_organization_id", table_name="forecast_runs")
    op.drop_index("ix_forecast_runs_subject", table_name="forecast_runs")
    op.drop_table("forecast_runs")
    op.drop_table("tariff_prices")
