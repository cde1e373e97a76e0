"""Settings read from the environment (prefix ``WATTBOARD_``), with embedded defaults.

Embedded mode (the default) needs nothing configured: SQLite and chDB live under ``WATTBOARD_HOME``,
the Kafka-protocol broker and Valkey are started by ``wattboard up``. Production mode requires the
secret key and real service URLs.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which one and how to fix it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WATTBOARD_", extra="ignore")

    mode: Literal["embedded", "production"] = Field(
        "embedded", description="`embedded` starts its own broker and Valkey; `production` requires URLs."
    )
    home: Path = Field(Path("./var"), description="Data directory: SQLite file, chDB data, secret key.")
    database_url: str | None = Field(
        None, description="Relational URL, e.g. `postgresql+psycopg://user@host/db`. Default: SQLite file."
    )
    clickhouse_url: str | None = Field(
        None, description="`http(s)://user:password@host:8123/db` for a ClickHouse server. Default: chDB."
    )
    clickhouse_cluster: str | None = Field(
        None,
        description="ClickHouse cluster (`remote_servers`) for replicated tables sharded by metering point.",
    )
    kafka_bootstrap: str | None = Field(
        None, description="Kafka bootstrap servers `host:port[,host:port]`. Default: embedded broker."
    )
    redis_url: str | None = Field(None, description="Redis URL for RQ. Default: embedded Valkey.")
    secret_key: SecretStr | None = Field(
        None, description="Flask session key. Embedded: generated once into the data dir."
    )
    partner_key: SecretStr | None = Field(
        None, description="Fernet key that encrypts partner secrets. Embedded: generated once into the data dir."
    )
    topic_prefix: str = Field("wattboard", description="Prefix of every Kafka topic name.")
    kafka_partitions: int = Field(4, ge=1, le=256, description="Partitions of the readings topic.")
    host: str = Field("127.0.0.1", description="Address the web server binds to.")
    metrics_address: str = Field(
        "127.0.0.1:9108", description="`host:port` where Prometheus scrapes each process (empty: no metrics endpoint)."
    )
    port: int = Field(8050, ge=1, le=65535, description="Port of the web server.")
    access_log: bool = Field(
        False,
        description="`wattboard web` writes a line per request to standard output (the ingress in front logs them "
        "already; the line cost 5 % of the web workers' CPU under load).",
    )
    demo_interval: float = Field(5.0, gt=0, description="Seconds between live demo readings.")
    workers: int = Field(2, ge=1, le=32, description="RQ worker threads that `wattboard up` runs.")
    log_level: str = Field("INFO", description="Python logging level.")
    fns_url: str | None = Field(
        None, description="Company registry (api-fns.ru style) base URL. Embedded: a local stand-in."
    )
    fns_key: SecretStr | None = Field(None, description="Access key of the company registry.")
    contracts_url: str | None = Field(
        None, description="Supply-contract registry (open-gkh style) base URL. Embedded: a local stand-in."
    )
    contracts_key: SecretStr | None = Field(None, description="Access key of the contract registry.")
    weather_url: str | None = Field(
        None,
        description="Open-Meteo-compatible weather API base URL (e.g. https://api.open-meteo.com, no key needed). "
        "Embedded: a local stand-in with demo weather; unset in production: no weather.",
    )
    smtp_url: SecretStr | None = Field(
        None, description="`smtp://user:password@host:587` or `smtps://…:465`. Default: `<home>/outbox`."
    )
    mail_from: str = Field("Wattboard <noreply@wattboard.local>", description="Sender of account letters.")
    public_url: str | None = Field(
        None, description="Address users open, for links in letters. Default: `http://<host>:<port>`."
    )
    alertmanager_url: str | None = Field(
        None, description="Prometheus Alertmanager for email and Slack. Embedded: a child Alertmanager when installed."
    )
    alertmanager_config_dir: Path | None = Field(
        None,
        description="Where Wattboard writes and reloads Alertmanager's configuration. Embedded: `<home>/alertmanager`.",
    )
    alert_webhook_url: str | None = Field(
        None,
        description="Where Alertmanager posts Prometheus' alerts for the staff's bell. Default: the public URL's "
        "`/api/v1/alertmanager/webhook`.",
    )
    telegram_bot_token: SecretStr | None = Field(
        None,
        description="Token of the installation's Telegram bot (from @BotFather); unset: no Telegram channel.",
    )
    telegram_bot_name: str | None = Field(
        None, description="The bot's username without @, for the t.me link on the profile page."
    )
    telegram_api_url: str = Field(
        "https://api.telegram.org", description="Telegram Bot API base URL (a local Bot API server, a stand-in)."
    )
    alert_group_wait: str = Field("30s", description="How long Alertmanager gathers alerts before the first letter.")
    alert_group_interval: str = Field("5m", description="Pause between letters about new alerts of one group.")
    alert_repeat_interval: str = Field("4h", description="How often a firing, unacknowledged alert is sent again.")
    plausibility_factor: float = Field(
        50.0,
        gt=1,
        description="A reading above this many times its point's 99th percentile for that hour of day is held for "
        "review instead of stored.",
    )
    plausibility_min_days: int = Field(
        14, ge=1, description="Days of history a point needs before its own percentiles judge a reading."
    )
    large_correction_share: float = Field(
        0.2,
        gt=0,
        le=1,
        description="A correction that changes more than this share of a point's day raises a visible event.",
    )
    reading_window: str = Field(
        "15-25",
        description="Days of the month when suppliers take meter readings (first-last): owners of points read by hand "
        "are reminded two days before the first until they enter a reading.",
    )
    answer_cache_s: int = Field(
        3600,
        ge=0,
        description="How long a page's computed figures are kept in Redis for every web worker (0 turns the cache "
        "off); new readings, a forecast run or a reading entered by hand make the next request compute afresh.",
    )
    login_max_failures: int = Field(5, ge=1, description="Failed logins per account or address before a lockout.")
    lockout_minutes: int = Field(15, ge=1, description="How long a lockout lasts.")

    @field_validator("reading_window")
    @classmethod
    def _window(cls, value: str) -> str:
        first, _, last = value.strip().partition("-")
        if not (first.isdecimal() and last.isdecimal() and 1 <= int(first) <= int(last) <= 31):
            raise ValueError(f"{value!r} is not a day range such as 15-25")
        return f"{int(first)}-{int(last)}"

    def reading_days(self) -> tuple[int, int]:
        """The first and last day of the month of :attr:`reading_window`."""
        first, last = self.reading_window.split("-")
        return int(first), int(last)

    @field_validator("clickhouse_url")
    @classmethod
    def _clickhouse_url_shape(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError("must look like http://user:password@host:8123/database")
        try:
            parsed.port  # noqa: B018 - raises on a non-numeric port
        except ValueError as exc:
            raise ValueError(f"has a bad port ({exc})") from None
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _bot_token_shape(cls, value: object) -> object:
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if raw in (None, ""):
            return None  # an empty key in the deployment's Secret: no Telegram channel
        if not isinstance(raw, str) or not re.fullmatch(r"\d+:[A-Za-z0-9_-]{10,}", raw.strip()):
            raise ValueError("is not a bot token from @BotFather (digits, a colon, then letters)")
        return raw.strip()

    @field_validator("kafka_bootstrap")
    @classmethod
    def _bootstrap_shape(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        for server in value.split(","):
            host, _, port = server.strip().rpartition(":")
            if not host or not port.isdecimal():
                raise ValueError(f"{server!r} is not host:port")
        return value

    @model_validator(mode="after")
    def _cluster_needs_a_server(self) -> Settings:
        if self.clickhouse_cluster and not self.clickhouse_url:
            raise ValueError("WATTBOARD_CLICKHOUSE_CLUSTER needs WATTBOARD_CLICKHOUSE_URL (chDB is a single node)")
        return self

    @model_validator(mode="after")
    def _production_needs_services(self) -> Settings:
        if self.mode == "production":
            missing = [
                name
                for name in (
                    "database_url",
                    "clickhouse_url",
                    "kafka_bootstrap",
                    "redis_url",
                    "secret_key",
                    "partner_key",
                    "fns_url",
                    "fns_key",
                    "contracts_url",
                    "contracts_key",
                    "smtp_url",
                    "public_url",
                    "alertmanager_url",
                )
                if getattr(self, name) is None
            ]
            if missing:
                names = ", ".join("WATTBOARD_" + m.upper() for m in missing)
                raise ValueError(f"production mode needs {names}")
        return self

    # Derived values -------------------------------------------------------------------------
    @property
    def relational_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'wattboard.db').resolve()}"

    @property
    def chdb_path(self) -> Path:
        return (self.home / "clickhouse").resolve()

    @property
    def am_config_dir(self) -> Path | None:
        """Where Alertmanager's configuration is written: set, or in the data dir when Alertmanager is ours."""
        if self.alertmanager_config_dir is not None:
            return self.alertmanager_config_dir
        return (self.home / "alertmanager").resolve() if self.alertmanager_url is None else None

    @property
    def embedded_broker(self) -> bool:
        return self.kafka_bootstrap is None

    @property
    def embedded_redis(self) -> bool:
        return self.redis_url is None

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def flask_secret(self) -> str:
        """The session key: from the environment, or generated once and kept in the data dir."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.home / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; a bad value raises :class:`SettingsError` with one line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]  # any field by name; pydantic checks each value
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"])
            label = f"WATTBOARD_{field.upper()}" if field else "settings"
            problems.append(f"{label} {err['msg'].removeprefix('Value error, ')}")
        raise SettingsError("; ".join(problems)) from None
