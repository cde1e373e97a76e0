"""A device-state report, the message partners' device reports become on the device-state topic::

    {"device": "SN-1", "ts": 1700000000, "online": 1, "battery": 87.5, "signal": -71,
     "error_code": "E42", "tamper": 0, "partner": "demo"}

Every field is checked here, by the push that takes a partner's reports and again by the consumer that stores them,
so no report can carry a value the stores or the alert texts would choke on: a serial and an error code from a safe
character set, a time between 2000-01-01 and a day from now (epoch **seconds**), a battery of 0–100 %, a signal of
−150…0 dBm, finite numbers only.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import asdict, dataclass
from typing import Any

from data.messaging.broker import encode

SERIAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
ERROR_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,39}$")
EARLIEST = int(dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp())
AHEAD_S = 86_400  # a device clock may run a little ahead; a day is the most we take
DEVICES_LANE = "devices"  # what the ingestion consumer's after-write hooks for applied reports register on
FIELDS = ("device", "ts", "online", "battery", "signal", "error_code", "tamper")


class BadReport(ValueError):
    """The report cannot be taken; the message says why (in the words the push answer uses)."""


@dataclass(frozen=True)
class DeviceReport:
    device: str
    ts: int  # epoch seconds
    online: bool = True
    battery: float | None = None
    signal: float | None = None
    error_code: str = ""
    tamper: bool = False
    partner: str = ""

    def encode(self) -> bytes:
        return encode(asdict(self))


def _flag(value: Any, name: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
        return bool(value)
    raise BadReport(f"'{name}' must be true/false or 0/1")


def _number(value: Any, name: str, low: float, high: float, unit: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadReport(f"'{name}' must be a finite number")
    if not low <= value <= high:
        raise BadReport(f"'{name}' must be from {low:g} to {high:g} {unit}, not {value:g}")
    return float(value)


def check_report(item: Any, partner: str, now: float | None = None) -> DeviceReport:
    """A report object as a partner sent it → :class:`DeviceReport`, or :class:`BadReport` saying what is wrong."""
    if not isinstance(item, dict):
        raise BadReport("a report is a JSON object with 'device' and 'ts'")
    device = item.get("device")
    if not isinstance(device, str) or not SERIAL.match(device):
        raise BadReport("'device' must be a serial of 1–64 letters, digits and . _ : -")
    ts = item.get("ts")
    if isinstance(ts, float) and ts.is_integer():
        ts = int(ts)
    if isinstance(ts, bool) or not isinstance(ts, int):
        raise BadReport("'ts' must be a whole number of seconds since 1970 (UTC)")
    latest = int(now if now is not None else dt.datetime.now(dt.UTC).timestamp()) + AHEAD_S
    if not EARLIEST <= ts <= latest:
        hint = " (milliseconds? send seconds)" if ts > latest * 100 else ""
        raise BadReport(f"'ts' {ts} is not a time from 2000-01-01 to tomorrow in epoch seconds{hint}")
    error_code = item.get("error_code")
    if error_code is None:
        error_code = ""
    if not isinstance(error_code, str) or (error_code and not ERROR_CODE.match(error_code)):
        raise BadReport("'error_code' must be up to 40 letters, digits and . _ : / - (or empty)")
    return DeviceReport(
        device=device,
        ts=ts,
        online=_flag(item.get("online", 1), "online"),
        battery=_number(item.get("battery"), "battery", 0, 100, "%"),
        signal=_number(item.get("signal"), "signal", -150, 0, "dBm"),
        error_code=error_code,
        tamper=_flag(item.get("tamper"), "tamper"),
        partner=partner,
    )


def decode_report(raw: bytes, now: float | None = None) -> DeviceReport:
    """A message of the device-state topic → :class:`DeviceReport` (checked again: the topic is not trusted)."""
    try:
        item = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadReport(f"not JSON: {exc}") from None
    partner = item.get("partner") if isinstance(item, dict) else None
    return check_report(item, partner if isinstance(partner, str) else "", now)
