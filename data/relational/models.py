"""Relational model (SQLAlchemy 2, typed). Alembic migrations in ``data/relational/migrations`` mirror it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    inn: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))  # household | business | industrial
    region: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    budget_amount: Mapped[float | None] = mapped_column(Float)  # a monthly budget, in ``budget_unit``
    budget_unit: Mapped[str | None] = mapped_column(String(3))  # rub | kwh
    slack_webhook: Mapped[str | None] = mapped_column(Text)  # encrypted (security.secrets)
    slack_allow_private: Mapped[bool] = mapped_column(Boolean, default=False)

    users: Mapped[list[User]] = relationship(back_populates="organization")
    metering_points: Mapped[list[MeteringPoint]] = relationship(back_populates="organization")


class OrganizationSso(Base):
    """An organization's own OpenID Connect provider: its members sign in there (matched by verified email)."""

    __tablename__ = "organization_sso"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(200))
    client_secret: Mapped[str] = mapped_column(Text)  # encrypted (security.secrets)
    email_domain: Mapped[str] = mapped_column(String(253), unique=True)
    allow_private: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # admin | operator | consumer
    status: Mapped[str] = mapped_column(String(30), default="active")  # active | pending | rejected | blocked
    status_reason: Mapped[str | None] = mapped_column(Text)  # why pending, rejected or blocked
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)  # may invite others to the organization
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    language: Mapped[str] = mapped_column(String(2), default="ru")
    # None until the user picks one: their organization's points' zone applies (Moscow without points).
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)
    quiet_from: Mapped[int | None] = mapped_column(Integer)  # local hour quiet hours start (email and Slack wait)
    quiet_to: Mapped[int | None] = mapped_column(Integer)  # local hour they end
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger)  # linked by a one-time code sent to the bot
    monthly_report: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # opted in
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)

    organization: Mapped[Organization | None] = relationship(back_populates="users")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class SupplyContract(Base):
    __tablename__ = "supply_contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    number: Mapped[str] = mapped_column(String(60))
    supplier: Mapped[str] = mapped_column(String(300))
    signed_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active")
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class MeteringPoint(Base):
    __tablename__ = "metering_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("supply_contracts.id"))
    address: Mapped[str | None] = mapped_column(String(400))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    tariff_plan: Mapped[str] = mapped_column(String(20), default="single")  # single | two_zone | three_zone
    region: Mapped[str | None] = mapped_column(String(100))  # priced by this region's tariffs (else the organization's)
    max_power_kw: Mapped[float | None] = mapped_column(Float)  # the connection's capacity, when known
    # A business point's price category (1–6 of the retail market rules) and voltage level (ВН, СН-I, СН-II, НН);
    # None for a household, priced by its regulated zone tariff.
    price_category: Mapped[int | None] = mapped_column(Integer)
    voltage_level: Mapped[str | None] = mapped_column(String(8))
    # Where the point is, for its weather; without them the settlement its address or region names is used.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # interval: readings arrive from a partner or a file; manual: the owner enters register readings by hand
    reading_mode: Mapped[str] = mapped_column(String(10), default="interval", server_default="interval")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)

    organization: Mapped[Organization] = relationship(back_populates="metering_points")
    devices: Mapped[list[Device]] = relationship(back_populates="metering_point")


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    model: Mapped[str] = mapped_column(String(100))
    metering_point_id: Mapped[int | None] = mapped_column(ForeignKey("metering_points.id"))
    status: Mapped[str] = mapped_column(String(20), default="online")  # online | stale | offline
    last_seen: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    battery: Mapped[float | None] = mapped_column(Float)
    signal: Mapped[float | None] = mapped_column(Float)
    error_code: Mapped[str | None] = mapped_column(String(40))

    metering_point: Mapped[MeteringPoint | None] = relationship(back_populates="devices")


class Partner(Base):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20))
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    api_key_hash: Mapped[str | None] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    secret: Mapped[str | None] = mapped_column(Text)  # encrypted (security.secrets)
    last_polled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class IngestionBatch(Base):
    """Provenance: one push, import, poll or backfill page, with counts and a hash of the raw payload."""

    __tablename__ = "ingestion_batches"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))  # push | import | poll | backfill
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    payload_bytes: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str | None] = mapped_column(String(300))
    records: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class HeldReading(Base):
    """A partner's reading too far outside its point's own history to store unseen: it waits for an operator, who
    accepts it (it is then published like any reading) or rejects it."""

    __tablename__ = "held_readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    batch_id: Mapped[str] = mapped_column(String(40), index=True)
    metering_point_id: Mapped[int] = mapped_column(ForeignKey("metering_points.id", ondelete="CASCADE"), index=True)
    ts: Mapped[int] = mapped_column(Integer)  # epoch seconds, the interval's start
    interval_s: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)  # kWh
    status: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(BigInteger)
    limit_kwh: Mapped[float] = mapped_column(Float)  # the most the point's history makes plausible
    reason: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(10), default="held", index=True)  # held | accepted | rejected
    held_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class RegisterState(Base):
    """The last cumulative register value seen per partner and metering point."""

    __tablename__ = "register_states"

    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True)
    meter_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_ts: Mapped[int] = mapped_column(Integer)
    last_value: Mapped[float] = mapped_column(Float)


class Notification(Base):
    """One message in a user's bell: an alert firing or resolved, in the user's language."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        UniqueConstraint("user_id", "alert_id", "episode", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    severity: Mapped[str] = mapped_column(String(10), default="warning")
    state: Mapped[str] = mapped_column(String(10), default="firing")  # firing | resolved
    link: Mapped[str | None] = mapped_column(String(300))
    episode: Mapped[int | None] = mapped_column(Integer)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str | None] = mapped_column(String(200))
    ip: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OneTimeToken(Base):
    """A single-use emailed token: a password reset or an invitation; only its SHA-256 is stored."""

    __tablename__ = "one_time_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))  # reset | invite
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    created_by: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # a sign-up's form, until its address is confirmed


class UserSession(Base):
    """A signed-in browser session. The cookie carries its id; logging out ends the row, so a copied cookie
    stops working at once; "log out everywhere" ends every row of the user."""

    __tablename__ = "user_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class TariffPrice(Base):
    """Roubles per kWh of one zone of one plan in one region, in force from a local day until the next row."""

    __tablename__ = "tariff_prices"
    __table_args__ = (UniqueConstraint("region", "plan", "zone", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(100))
    plan: Mapped[str] = mapped_column(String(20))  # single | two_zone | three_zone
    zone: Mapped[str] = mapped_column(String(20))  # single | day | night | peak | half_peak
    valid_from: Mapped[dt.date] = mapped_column(Date)
    price: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str | None] = mapped_column(String(254))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class MarketPriceSheet(Base):
    """One month's published price levels of a guaranteeing supplier's region for one price category and voltage
    level (roubles without VAT): single and zone prices, the hourly energy prices, the capacity price, the network
    rates, the plan-deviation rates. A later upload of the same month is a new version; the newest is in force."""

    __tablename__ = "market_price_sheets"
    __table_args__ = (UniqueConstraint("region", "month", "category", "voltage", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(100), index=True)
    month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month
    category: Mapped[int] = mapped_column(Integer)  # 1..6
    voltage: Mapped[str] = mapped_column(String(8))  # ВН | СН-I | СН-II | НН
    version: Mapped[int] = mapped_column(Integer, default=1)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # see pricing.price_file
    demo: Mapped[bool] = mapped_column(Boolean, default=False)  # generated for the demo, never a published price
    source: Mapped[str] = mapped_column(Text, default="")
    uploaded_by: Mapped[str | None] = mapped_column(String(254))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class MarketPeakHours(Base):
    """A region's peak hours of one month: the System Operator's planned peak hours (capacity), the network's
    planned peak hours (the 4th and 6th categories' network charge) and the market operator's peak hour of each
    working day. Versioned like the price sheets."""

    __tablename__ = "market_peak_hours"
    __table_args__ = (UniqueConstraint("region", "month", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(100), index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    planned: Mapped[list[list[int]]] = mapped_column(JSON, default=list)  # [[from_hour, to_hour), …], local time
    network: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    peak_hour: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # "YYYY-MM-DD" → hour (local time)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")
    uploaded_by: Mapped[str | None] = mapped_column(String(254))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ForecastRun(Base):
    """One fitted forecast of a metering point or an organization total: the model the backtest chose and its scores.

    The forecast values themselves are in ClickHouse (``forecasts``), keyed by subject and run."""

    __tablename__ = "forecast_runs"
    __table_args__ = (Index("ix_forecast_runs_subject", "subject", "subject_id", "fitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(10))  # meter | org
    subject_id: Mapped[int] = mapped_column(Integer)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # ok | no_history | failed
    model: Mapped[str | None] = mapped_column(String(40))
    model_version: Mapped[str | None] = mapped_column(String(20))
    step_s: Mapped[int] = mapped_column(Integer, default=3600)
    train_start: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    train_end: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    fitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    mape: Mapped[float | None] = mapped_column(Float)
    coverage: Mapped[float | None] = mapped_column(Float)
    baseline_mape: Mapped[float | None] = mapped_column(Float)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float | None] = mapped_column(Float)


class Recommendation(Base):
    """Advice for an organization with its expected yearly saving and the evidence; kept between runs by ``key``."""

    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("organization_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    meter_id: Mapped[int | None] = mapped_column(ForeignKey("metering_points.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))  # tariff | baseload | peak_shift | unusual | data
    key: Mapped[str] = mapped_column(String(120))
    saving_rub_year: Mapped[float] = mapped_column(Float, default=0.0)
    saving_kwh_year: Mapped[float] = mapped_column(Float, default=0.0)
    strength: Mapped[float] = mapped_column(Float, default=0.0)  # the size of the evidence, to compare runs
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the figures the text is written from
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # a small chart
    state: Mapped[str] = mapped_column(String(20), default="open")  # open | done | dismissed | resolved
    state_by: Mapped[str | None] = mapped_column(String(254))
    state_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    state_strength: Mapped[float | None] = mapped_column(Float)  # the evidence when it was dismissed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Alert(Base):
    """One alert by its stable key: firing → resolved, again and again (``episode`` counts the firings)."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10))  # info | warning | critical
    state: Mapped[str] = mapped_column(String(10))  # firing | resolved
    subject: Mapped[str] = mapped_column(String(200))  # a device serial, a metering point, a partner, a rule
    meter_code: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(300))
    episode: Mapped[int] = mapped_column(Integer, default=1)
    first_fired_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    fired_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[str | None] = mapped_column(String(254))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    silence_id: Mapped[str | None] = mapped_column(String(64))
    silence_state: Mapped[str] = mapped_column(String(10), default="none")  # none | wanted | active | expire
    last_event_id: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AlertEventSeen(Base):
    """Alert events already applied: replaying the topic changes nothing."""

    __tablename__ = "alert_events_seen"

    event_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    processed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)


class AlertDelivery(Base):
    """The outbox of email and Slack: one row per alert episode, firing or resolved, and recipient; posted to
    Alertmanager when due (quiet hours) and while it answers."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        UniqueConstraint("alert_id", "episode", "event", "recipient"),
        Index("ix_alert_deliveries_due", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    episode: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(10))  # firing | resolved
    recipient: Mapped[str] = mapped_column(String(60))  # user-<id> | slack-org-<id>
    channel: Mapped[str] = mapped_column(String(10))  # email | slack
    language: Mapped[str] = mapped_column(String(2), default="ru")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | posted | cancelled
    not_before: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    posted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class NotificationPreference(Base):
    """Which channels a user wants for one alert kind, and from which severity up."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    bell: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[bool] = mapped_column(Boolean, default=False)
    slack: Mapped[bool] = mapped_column(Boolean, default=False)
    telegram: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    min_severity: Mapped[str] = mapped_column(String(10), default="warning")


class AlertRule(Base):
    """An organization's own threshold for an alert kind (or the kind switched off)."""

    __tablename__ = "alert_rules"
    __table_args__ = (UniqueConstraint("organization_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    threshold: Mapped[float | None] = mapped_column(Float)


class TelegramBot(Base):
    """The installation's bot: the next update to read from the Bot API (``getUpdates``' offset)."""

    __tablename__ = "telegram_bot"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_offset: Mapped[int] = mapped_column(BigInteger, default=0)


class MonthlyReportLetter(Base):
    """A monthly report letter sent: one per organization, month and reader (what makes sending idempotent)."""

    __tablename__ = "monthly_report_letters"
    __table_args__ = (UniqueConstraint("organization_id", "month", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month reported
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class RegisterReading(Base):
    """A meter's registers read by eye (T1, T2, T3 for zone plans), entered by its owner or a member."""

    __tablename__ = "register_readings"
    __table_args__ = (UniqueConstraint("metering_point_id", "ts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metering_point_id: Mapped[int] = mapped_column(ForeignKey("metering_points.id", ondelete="CASCADE"), index=True)
    ts: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    registers: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"t1": 12345.6, "t2": 6789.0} in kWh
    replacement: Mapped[bool] = mapped_column(Boolean, default=False)  # a new meter: its registers start again
    entered_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
