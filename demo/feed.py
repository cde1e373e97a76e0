"""Publishes the demo world's readings through Kafka: 13 months of history once, then live readings.

History goes out as half-hour intervals (one metering point as a cumulative register with a counter
reset, a few with gaps), with a week of hourly device-state reports on a fresh world; live readings follow every
``interval`` seconds, and device heartbeats every minute, except from the device that went offline. The points a
demo partner serves (``demo.partners``) get their history here up to the day before yesterday; the partner
delivers the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from zoneinfo import ZoneInfo

import numpy as np

from data.clickhouse.readings import latest_timestamps
from data.messaging.broker import encode
from data.messaging.reading_batch import encode_batch, encode_columnar
from data.relational.meters import meter_directory
from data.services import Services
from demo.profiles import PROFILES, power_kw
from demo.world import DemoMeter, all_meters
from weather.places import SETTLEMENTS
from weather.standin import annual_mean_and_swing, synthetic_temperature

log = logging.getLogger(__name__)

HISTORY_DAYS = 396  # 13 months
HALF_HOUR = 1800
CHUNK = 2000
OFFLINE_SINCE = dt.timedelta(days=2)
LEFT_ON_DAYS = 21
DEVICE_HISTORY_DAYS = 7
DAY = 86_400


def _seed(code: str) -> int:
    return sum(ord(c) * (i + 1) for i, c in enumerate(code))


def intervals(
    meter: DemoMeter, start: int, end: int, step: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Interval starts (epoch s) in [start, end) and the kWh consumed in each."""
    ts = np.arange(start, end, step, dtype=np.int64)
    if not len(ts):
        return ts, np.zeros(0)
    offset = int(dt.datetime.now(ZoneInfo(meter.timezone)).utcoffset().total_seconds())  # type: ignore[union-attr]  # an aware time has one
    local = (ts + offset + step // 2).astype("datetime64[s]")
    kw = power_kw(PROFILES[meter.kind], local, meter.scale, rng, _coldness(meter, ts + step // 2, offset))
    if meter.left_on_kw:
        kw = kw + np.where(ts >= time.time() - LEFT_ON_DAYS * 86_400, meter.left_on_kw, 0.0)
    return ts, np.round(kw * step / 3600.0, 4)


def settled_intervals(meter: DemoMeter, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """The half-hours of ``[start, end)`` as :func:`intervals` gives them, but the same on every call: each UTC day's
    noise comes from that day alone (a partner's system answers a repeated window with the same values)."""
    parts = [
        intervals(meter, day, day + DAY, HALF_HOUR, np.random.default_rng([_seed(meter.code), day // DAY]))
        for day in range(start - start % DAY, end, DAY)
    ]
    ts = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    kwh = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0)
    keep = (ts >= start) & (ts + HALF_HOUR <= end)
    return ts[keep], kwh[keep]


def partner_start(now_s: int) -> int:
    """Where a demo partner's deliveries begin: the start of yesterday (UTC); the feed's history ends there."""
    return now_s - now_s % DAY - DAY


def _coldness(meter: DemoMeter, ts: np.ndarray, offset: int) -> np.ndarray | None:
    """How cold each interval's local day is at the meter's settlement, in the weather the demo's stand-in serves
    (the day's mean against the year's mean, in units of the seasonal swing): demand follows the same weather the
    weather pages and the forecast see."""
    if meter.settlement not in SETTLEMENTS:
        return None
    latitude, longitude = SETTLEMENTS[meter.settlement]
    days, day_of = np.unique((ts + offset) // 86_400 * 86_400 - offset, return_inverse=True)  # each local day once
    hours = days[:, None] + np.arange(0, 86_400, 3600)[None, :]
    daily = synthetic_temperature(latitude, longitude, hours.ravel().astype("datetime64[s]")).reshape(hours.shape)
    mean, swing = annual_mean_and_swing(latitude)
    return ((mean - daily.mean(axis=1)) / swing)[day_of]


def _gap_mask(ts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    keep = np.ones(len(ts), dtype=bool)
    for _ in range(4):
        at = rng.integers(0, max(1, len(ts) - 100))
        keep[at : at + int(rng.integers(12, 96))] = False
    return keep


class DemoFeed:
    def __init__(self, services: Services, interval: float) -> None:
        self.services = services
        self.step = max(1, round(interval))
        self.topics = services.topics
        self._cursor: dict[str, int] = {}

    def _send(self, code: str, payload: bytes) -> None:
        self.services.producer.send(self.topics.readings, key=code.encode(), value=payload)

    def publish_history(self, now: dt.datetime | None = None) -> int:
        """Fill each metering point from its newest stored reading (or 13 months back) up to now."""
        now_s = int((now or dt.datetime.now(dt.UTC)).timestamp())
        directory = meter_directory(self.services.db)
        ids = {m.code: directory[m.code].id for _, m in all_meters() if m.code in directory}
        latest = latest_timestamps(self.services.store, list(ids.values()))
        sent = 0
        for _, meter in all_meters():
            rng = np.random.default_rng(_seed(meter.code))
            last = latest.get(ids.get(meter.code, -1))
            history_end = now_s - now_s % HALF_HOUR
            if meter.offline:
                history_end = history_end - int(OFFLINE_SINCE.total_seconds())
            if meter.partner:
                history_end = min(history_end, partner_start(now_s))
            start = int(last.timestamp()) + HALF_HOUR if last else history_end - HISTORY_DAYS * 86_400
            start -= start % HALF_HOUR
            if meter.partner:  # the values its partner will answer for the same half-hours
                ts, kwh = settled_intervals(meter, start, history_end)
            else:
                ts, kwh = intervals(meter, start, history_end, HALF_HOUR, rng)
            if meter.gaps and last is None:
                keep = _gap_mask(ts, rng)
                ts, kwh = ts[keep], kwh[keep]
            batch = f"demo-history-{uuid.uuid4().hex[:12]}"
            if meter.register_reset and last is None:
                sent += self._send_register(meter, ts, kwh, batch)
            else:
                sent += self._send_intervals(meter, ts, kwh, batch, HALF_HOUR, version=1)
            if last is None:
                self._send_device_history(meter, now_s)
            if not meter.offline and not meter.partner:
                self._cursor[meter.code] = history_end
        self.services.producer.flush(timeout=60)
        log.info("demo: published %d history readings", sent)
        return sent

    def _send_intervals(
        self, meter: DemoMeter, ts: np.ndarray, kwh: np.ndarray, batch: str, step: int, version: int
    ) -> int:
        for i in range(0, len(ts), CHUNK):
            part = slice(i, i + CHUNK)
            zeros = np.zeros(len(ts[part]), dtype=np.uint8)
            self._send(
                meter.code, encode_columnar(meter.code, "demo", batch, version, step, ts[part], kwh[part], zeros)
            )
        return len(ts)

    def _send_register(self, meter: DemoMeter, ts: np.ndarray, kwh: np.ndarray, batch: str) -> int:
        """Cumulative register values ending each interval, with a meter swap (reset) at 60 %."""
        register = np.cumsum(kwh) + 48_213.0
        reset_at = int(len(register) * 0.6)
        register[reset_at:] = np.cumsum(kwh[reset_at:]) + 3.0
        ends = ts + HALF_HOUR
        # Each chunk repeats the previous chunk's last value as its anchor.
        anchor = [[int(ts[0]), 48_213.0, 0]]
        for i in range(0, len(ts), CHUNK):
            rows = anchor + [
                [int(t) - HALF_HOUR, float(v), 0]
                for t, v in zip(ends[i : i + CHUNK], register[i : i + CHUNK], strict=True)
            ]
            self._send(meter.code, encode_batch(meter.code, "demo", batch, 1, HALF_HOUR, rows, kind="register"))
            anchor = [rows[-1]]
        return len(ts)

    def publish_live(self, now: dt.datetime | None = None) -> int:
        """Send the readings due since the last call (one interval of ``step`` seconds each)."""
        now_s = int((now or dt.datetime.now(dt.UTC)).timestamp())
        end = now_s - now_s % self.step
        version = int(time.time() * 1000)
        sent = 0
        for _, meter in all_meters():
            cursor = self._cursor.get(meter.code)
            if cursor is None or meter.offline or end <= cursor:
                continue
            rng = np.random.default_rng(_seed(meter.code) + end)
            ts, kwh = intervals(meter, cursor, end, self.step, rng)
            sent += self._send_intervals(meter, ts, kwh, f"demo-live-{end}", self.step, version)
            self._cursor[meter.code] = end
        return sent

    def publish_heartbeats(self, now: dt.datetime | None = None) -> None:
        ts = int((now or dt.datetime.now(dt.UTC)).timestamp())
        for _, meter in all_meters():
            if not meter.offline:
                self._send_state(meter, ts, np.random.default_rng(_seed(meter.code) + ts // 3600))

    def _send_state(self, meter: DemoMeter, ts: int, rng: np.random.Generator, days_ago: float = 0.0) -> None:
        """One state report of the meter's device; its battery was a little fuller ``days_ago`` (a weak one drains
        fast)."""
        full = 14.0 if meter.weak_battery else 62.0 + _seed(meter.code) % 37  # each device's own charge today
        battery = min(100.0, full + (1.5 if meter.weak_battery else 0.2) * days_ago + rng.normal(0, 0.4))
        report = {
            "device": f"SN-{meter.code}",
            "ts": ts,
            "online": 1,
            "battery": round(float(battery), 1),
            "signal": round(float(rng.uniform(-95, -60)), 1),
            "error_code": "",
            "tamper": 0,
            "partner": "demo",
        }
        self.services.producer.send(self.topics.device_state, key=str(report["device"]).encode(), value=encode(report))

    def _send_device_history(self, meter: DemoMeter, now_s: int) -> None:
        """A week of hourly reports, oldest first (sent before the first heartbeat, on the device's own key, so they
        arrive in order): the offline device's stop two days ago, the gappy meter's device silent for a few hours."""
        end = now_s - int(OFFLINE_SINCE.total_seconds()) if meter.offline else now_s
        rng = np.random.default_rng(_seed(meter.code) + 7)
        for ts in range(now_s - now_s % 3600 - DEVICE_HISTORY_DAYS * DAY, end, 3600):
            if meter.gaps and 3 * DAY <= now_s - ts < 3 * DAY + 5 * 3600:
                continue  # its modem lost the network for five hours three days ago
            self._send_state(meter, ts, rng, (now_s - ts) / DAY)

    def run(self, stop: threading.Event) -> None:
        self.publish_history()
        last_beat = 0.0
        while not stop.wait(self.step - time.time() % self.step):
            try:
                self.publish_live()
                if time.monotonic() - last_beat >= 60:
                    self.publish_heartbeats()
                    last_beat = time.monotonic()
                self.services.producer.flush(timeout=10)
            except Exception:
                log.exception("demo: live readings not published this time")
