"""Organizations as the admin page lists them: with their member counts and supply contracts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from data.relational import Database
from data.relational.models import Organization, SupplyContract, User


@dataclass(frozen=True)
class OrganizationRow:
    id: int
    inn: str
    name: str
    kind: str
    users: int
    contracts: list[tuple[str, str, dt.date, str]]  # number, supplier, signed on, status


def organizations_with_contracts(db: Database, search: str = "") -> list[OrganizationRow]:
    """Organizations with their user counts and contracts: three queries, however many organizations."""
    stmt = select(Organization).order_by(Organization.name)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Organization.name).like(like), Organization.inn.like(like)))
    with db.session() as s:
        orgs = list(s.scalars(stmt))
        ids = [o.id for o in orgs]
        counts = dict(
            s.execute(
                select(User.organization_id, func.count(User.id))
                .where(User.organization_id.in_(ids))
                .group_by(User.organization_id)
            ).all()
        )
        contracts: dict[int, list[tuple[str, str, dt.date, str]]] = {}
        for c in s.scalars(select(SupplyContract).where(SupplyContract.organization_id.in_(ids))):
            contracts.setdefault(c.organization_id, []).append((c.number, c.supplier, c.signed_on, c.status))
        return [
            OrganizationRow(o.id, o.inn, o.name, o.kind, counts.get(o.id, 0), contracts.get(o.id, [])) for o in orgs
        ]
