"""How a partner is integrated: format, units, zone, value kind, meter mapping and pulling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from pydantic import BaseModel, Field, field_validator, model_validator

if TYPE_CHECKING:
    from data.relational.partners import PartnerRecord

FORMATS = ("json", "csv", "80020", "espi")
UNIT_TO_KWH = {"Wh": 0.001, "kWh": 1.0, "MWh": 1000.0}


class PullConfig(BaseModel):
    """Where and how to fetch: ``url_template`` may use ``{since}``, ``{until}`` and ``{meter}``."""

    url_template: str
    method: Literal["GET", "POST"] = "GET"
    headers: dict[str, str] = Field(default_factory=dict)
    auth: Literal["none", "api_key", "bearer", "basic"] = "none"
    auth_header: str = "X-API-Key"
    username: str | None = None
    pagination: Literal["none", "next_link", "page"] = "none"
    page_param: str = "page"
    max_pages: int = Field(100, ge=1, le=10_000)
    interval_s: int | None = Field(900, ge=30)
    cron: str | None = None
    lookback_s: int = Field(86_400, ge=60)
    timeout_s: float = Field(20, gt=0, le=300)
    retries: int = Field(3, ge=0, le=10)

    @field_validator("url_template")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("the URL must start with http:// or https://")
        return value

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value and not croniter.is_valid(value):
            raise ValueError(f"{value!r} is not a cron expression")
        return value or None


class PartnerConfig(BaseModel):
    format: Literal["json", "csv", "80020", "espi"]
    format_options: dict[str, Any] = Field(default_factory=dict)
    timezone: str = "Europe/Moscow"
    units: Literal["Wh", "kWh", "MWh"] = "kWh"
    value_kind: Literal["interval", "cumulative"] = "interval"
    interval_s: int = Field(1800, ge=60, le=86_400)
    auto_create_meters: bool = False
    organization_inn: str | None = None
    allow_private_network: bool = False
    meter_map: dict[str, str] = Field(default_factory=dict)  # partner's meter id → our metering point code
    # Besides its mapped points and its organization's, the points it may write to: bound by an administrator, or by
    # `wattboard migrate` from what the partner delivered before partners were confined.
    meters: list[str] = Field(default_factory=list)
    # Devices it may report the state of besides those on the points it serves (bound by `wattboard migrate` from what
    # it reported before device reports were confined, or by an administrator).
    devices: list[str] = Field(default_factory=list)
    max_push_mb: float = Field(20, gt=0, le=64)  # a larger push is refused with 413 before it is read
    pull: PullConfig | None = None

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone such as Europe/Moscow") from None
        return value

    def bound_codes(self) -> set[str]:
        """The points this partner may write to whatever organization they belong to."""
        return set(self.meter_map.values()) | set(self.meters)

    @model_validator(mode="after")
    def _auto_create_needs_owner(self) -> PartnerConfig:
        if self.auto_create_meters and not self.organization_inn:
            raise ValueError("auto_create_meters needs organization_inn: whose metering points they become")
        return self


def partner_config(partner: PartnerRecord) -> PartnerConfig:
    """A stored partner's configuration, validated."""
    return PartnerConfig(**partner.config)
