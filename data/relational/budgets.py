"""An organization's monthly budget (roubles or kWh)."""

from __future__ import annotations

from data.relational import Database
from data.relational.models import Organization

UNITS = ("rub", "kwh")


def get_budget(db: Database, organization_id: int) -> tuple[float, str] | None:
    with db.session() as s:
        org = s.get(Organization, organization_id)
        if org is None or org.budget_amount is None or org.budget_unit not in UNITS:
            return None
        return float(org.budget_amount), str(org.budget_unit)


def set_budget(db: Database, organization_id: int, amount: float | None, unit: str | None) -> tuple[float, str] | None:
    """Set (or, with ``amount`` None, clear) the budget; returns the one it replaced."""
    with db.session() as s:
        org = s.get(Organization, organization_id)
        if org is None:
            raise LookupError(organization_id)
        before = (float(org.budget_amount), str(org.budget_unit)) if org.budget_amount is not None else None
        org.budget_amount, org.budget_unit = amount, (unit if amount is not None else None)
        return before
