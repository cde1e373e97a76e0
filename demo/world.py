"""The demo organizations, metering points, devices and logins, created once in the relational store."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.inn import complete_inn
from auth.passwords import hash_password
from data.relational import Database
from data.relational.models import Device, MeteringPoint, Organization, SupplyContract, User


@dataclass(frozen=True)
class DemoMeter:
    code: str
    name: str
    kind: str  # profile name
    scale: float
    timezone: str
    tariff_plan: str
    offline: bool = False  # the device stopped reporting: no live readings, no heartbeat
    register_reset: bool = False  # history arrives as a cumulative register with one counter reset
    gaps: bool = False  # a few holes in the history
    left_on_kw: float = 0.0  # equipment left running day and night for the last three weeks (base load advice)
    weak_battery: bool = False  # its device reports a battery below 20 % (an alert)
    max_power_kw: float | None = None  # the connection's capacity (a business point's)
    settlement: str = ""  # where it is (a key of weather.places.SETTLEMENTS): its demand follows that weather
    partner: str = ""  # the demo partner that delivers its last day and its new readings (demo.partners)


@dataclass(frozen=True)
class DemoOrg:
    inn: str
    name: str
    kind: str
    region: str
    login: str
    supplier: str
    contract: str
    meters: tuple[DemoMeter, ...]
    voltage: str | None = None  # a business's voltage level; its points start on the 1st price category


ORGS: tuple[DemoOrg, ...] = (
    DemoOrg(
        complete_inn("7728012345"),
        "Иванов Иван Иванович (квартира)",
        "household",
        "Москва",
        "household@demo.wattboard.ru",
        "ПАО «Мосэнергосбыт»",
        "ЭС-2023/118734",
        (
            DemoMeter(
                "MSK-HH-001", "Квартира, ул. Профсоюзная 12", "household", 1.0, "Europe/Moscow", "two_zone",
                settlement="москва",
            ),
            DemoMeter(
                "MSK-HH-002", "Дача, СНТ «Берёзка»", "household", 0.7, "Europe/Moscow", "single", gaps=True,
                settlement="москва",
            ),
        ),
    ),
    DemoOrg(
        complete_inn("770412345"),
        "ООО «Северный офис»",
        "business",
        "Санкт-Петербург",
        "office@demo.wattboard.ru",
        "АО «Петроэлектросбыт»",
        "ПЭС-77/4521",
        tuple(
            DemoMeter(
                f"SPB-OF-{i:03d}",
                f"Офис, этаж {i}",
                "office",
                0.6 + 0.15 * i,
                "Europe/Moscow",
                "three_zone",
                gaps=(i == 3),
                offline=(i == 5),
                left_on_kw=6.0 if i == 4 else 0.0,
                weak_battery=i == 6,
                max_power_kw=round(60 * (0.6 + 0.15 * i) + 20, 1),
                settlement="санкт-петербург",
                partner="spb-uchet" if i in (7, 8) else "",
            )
            for i in range(1, 9)
        ),
        voltage="НН",
    ),
    DemoOrg(
        complete_inn("665812345"),
        "АО «Уральский завод металлоконструкций»",
        "industrial",
        "Свердловская область",
        "factory@demo.wattboard.ru",
        "АО «ЭнергосбыТ Плюс»",
        "ЭСП-1029/22",
        tuple(
            DemoMeter(
                f"EKB-FC-{i:03d}",
                name,
                "factory",
                scale,
                "Asia/Yekaterinburg",
                "three_zone",
                register_reset=(i == 2),
                max_power_kw=round(500 * scale + 50, 1),  # Цех №2's 700 kW: only the 3rd–6th categories
                settlement="екатеринбург",
                partner="ekb-askue" if i in (11, 12) else "",
            )
            for i, (name, scale) in enumerate(
                [
                    ("Цех №1, ввод 1", 1.0),
                    ("Цех №1, ввод 2", 0.8),
                    ("Цех №2", 1.3),
                    ("Покрасочная линия", 0.6),
                    ("Компрессорная", 0.4),
                    ("Котельная", 0.5),
                    ("Склад", 0.15),
                    ("Административный корпус", 0.1),
                    ("Сварочный участок", 0.7),
                    ("Насосная станция", 0.3),
                    ("Наружное освещение", 0.05),
                    ("Лаборатория", 0.08),
                ],
                start=1,
            )
        ),
        voltage="СН-II",
    ),
)

ADMIN_LOGIN = "admin@demo.wattboard.ru"


def demo_category(meter: DemoMeter) -> int:
    """Where a demo business point starts: the 1st category, or the 3rd from 670 kW (the 1st is not allowed there)."""
    return 3 if (meter.max_power_kw or 0) >= 670 else 1


def all_meters() -> list[tuple[DemoOrg, DemoMeter]]:
    return [(org, meter) for org in ORGS for meter in org.meters]


def ensure_world(db: Database, home: Path) -> dict[str, str]:
    """Create the demo world if missing; returns the demo logins (email → password).

    Passwords are random per installation, kept in the data dir (never in the repository).
    """
    logins_path = home / "demo-logins.json"
    logins: dict[str, str] = json.loads(logins_path.read_text()) if logins_path.exists() else {}
    with db.session() as s:
        for org_def in ORGS:
            org = s.scalar(select(Organization).where(Organization.inn == org_def.inn))
            if org is None:
                org = Organization(inn=org_def.inn, name=org_def.name, kind=org_def.kind, region=org_def.region)
                s.add(org)
                s.flush()
                contract = SupplyContract(
                    organization_id=org.id,
                    number=org_def.contract,
                    supplier=org_def.supplier,
                    signed_on=dt.date(2023, 1, 1),
                )
                s.add(contract)
                s.flush()
                for m in org_def.meters:
                    mp = MeteringPoint(
                        code=m.code,
                        name=m.name,
                        organization_id=org.id,
                        contract_id=contract.id,
                        address=f"{org_def.region}, {m.name}",
                        timezone=m.timezone,
                        tariff_plan=m.tariff_plan,
                        max_power_kw=m.max_power_kw,
                        price_category=demo_category(m) if org_def.voltage else None,
                        voltage_level=org_def.voltage,
                    )
                    s.add(mp)
                    s.flush()
                    s.add(
                        Device(
                            serial=f"SN-{m.code}",
                            model="Меркурий 234" if m.kind != "household" else "Энергомера CE102",
                            metering_point_id=mp.id,
                            # The offline device was last heard two days ago: the schedule marks it offline (an alert).
                            status="online",
                            last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(days=2) if m.offline else None,
                        )
                    )
            _ensure_login(s, logins, org_def.login, "consumer", org.id)
        _ensure_login(s, logins, ADMIN_LOGIN, "admin", None)
    home.mkdir(parents=True, exist_ok=True)
    logins_path.write_text(json.dumps(logins, ensure_ascii=False, indent=1))
    logins_path.chmod(0o600)
    return logins


def _ensure_login(
    session: Session, logins: dict[str, str], email: str, role: str, org_id: int | None
) -> None:
    if session.scalar(select(User).where(User.email == email)) is not None and email in logins:
        return
    password = logins.get(email) or secrets.token_urlsafe(9)
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        # Each demo organization's login is its owner, so invitations can be tried in the demo.
        user = User(
            email=email,
            role=role,
            organization_id=org_id,
            status="active",
            password_hash="",
            is_owner=org_id is not None,
            monthly_report=org_id is not None,  # the demo's monthly letters land in its outbox
        )
        session.add(user)
    user.password_hash = hash_password(password)
    logins[email] = password
