"""The caller as the rest of the code sees it, and the tenant rules every query goes through."""

from __future__ import annotations

from dataclasses import dataclass

from data.relational.meters import MeterInfo

NO_ORGANIZATION = 0  # no organization has this id: a consumer without one sees nothing


class AccessDenied(PermissionError):
    """The caller may not see or do this."""


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    role: str
    organization_id: int | None
    language: str = "ru"
    is_owner: bool = False  # may invite people to the organization

    @property
    def sees_all_organizations(self) -> bool:
        return self.role in ("admin", "operator")

    def organization_scope(self, requested: int | None = None) -> int | None:
        """The organization whose data to show: consumers are pinned to their own."""
        if self.sees_all_organizations:
            return requested
        return self.organization_id if self.organization_id is not None else NO_ORGANIZATION

    def can_see(self, meter: MeterInfo) -> bool:
        return self.can_see_organization(meter.organization_id)

    def can_see_organization(self, organization_id: int | None) -> bool:
        """Staff see every organization (and unassigned devices); others only their own."""
        return self.sees_all_organizations or (
            self.organization_id is not None and organization_id == self.organization_id
        )
