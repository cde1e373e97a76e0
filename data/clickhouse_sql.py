"""All ClickHouse SQL of Wattboard, in one place. Every value is a bound ``{name:Type}`` parameter.

Design of the readings store:
- ``readings``: one row per (metering point, interval start). ReplacingMergeTree keyed by
  ``(meter_id, ts)`` with ``version``: a later correction (higher version) replaces an earlier
  value, and a replayed batch (same version) collapses into the row it repeats. Reads use FINAL.
  ``non_replicated_deduplication_window`` also drops a retried insert of the very same block.
- ``readings_hourly`` / ``readings_daily``: rollups recomputed by the engine from the deduplicated
  readings for exactly the (meter, time range) an insert touched (:data:`REFRESH_HOURLY`,
  :data:`REFRESH_DAILY`). A plain materialized view would add a replayed or corrected reading twice;
  recomputing from FINAL keeps totals equal to the sum of the current raw values. The daily rollup
  is by the metering point's local day (``utc_offset`` seconds east of UTC).
- ``device_status``: the time series of device state reports.
"""

from __future__ import annotations

SCHEMA: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS readings (
        meter_id   UInt32,
        ts         DateTime('UTC')            CODEC(DoubleDelta, ZSTD(1)),
        value      Float64                    CODEC(Gorilla, ZSTD(1)),
        interval_s UInt32                     CODEC(T64, ZSTD(1)),
        status     UInt8                      CODEC(T64, ZSTD(1)),
        version    UInt64                     CODEC(Delta, ZSTD(1)),
        utc_offset Int32                      CODEC(T64, ZSTD(1)),
        partner    LowCardinality(String),
        batch_id   String                     CODEC(ZSTD(3))
    )
    ENGINE = ReplacingMergeTree(version)
    PARTITION BY toYYYYMM(ts)
    ORDER BY (meter_id, ts)
    SETTINGS non_replicated_deduplication_window = 1000
    """,
    """
    CREATE TABLE IF NOT EXISTS readings_hourly (
        meter_id    UInt32,
        hour        DateTime('UTC')           CODEC(DoubleDelta, ZSTD(1)),
        value       Float64                   CODEC(Gorilla, ZSTD(1)),
        samples     UInt32                    CODEC(T64, ZSTD(1)),
        covered_s   UInt32                    CODEC(T64, ZSTD(1)),
        max_status  UInt8,  -- all status flags of the hour, OR-ed (the name predates that)
        computed_at DateTime64(6, 'UTC')
    )
    ENGINE = ReplacingMergeTree(computed_at)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (meter_id, hour)
    """,
    """
    CREATE TABLE IF NOT EXISTS readings_daily (
        meter_id    UInt32,
        day         Date,
        value       Float64                   CODEC(Gorilla, ZSTD(1)),
        samples     UInt32                    CODEC(T64, ZSTD(1)),
        covered_s   UInt32                    CODEC(T64, ZSTD(1)),
        max_status  UInt8,
        computed_at DateTime64(6, 'UTC')
    )
    ENGINE = ReplacingMergeTree(computed_at)
    PARTITION BY toYear(day)
    ORDER BY (meter_id, day)
    """,
    """
    CREATE TABLE IF NOT EXISTS device_status (
        device_id  UInt32,
        ts         DateTime('UTC')            CODEC(DoubleDelta, ZSTD(1)),
        online     UInt8,
        battery    Nullable(Float32),
        signal     Nullable(Float32),
        error_code LowCardinality(String),
        tamper     UInt8,
        partner    LowCardinality(String)
    )
    ENGINE = ReplacingMergeTree
    PARTITION BY toYYYYMM(ts)
    ORDER BY (device_id, ts)
    """,
)

READING_COLUMNS = (
    "meter_id",
    "ts",
    "value",
    "interval_s",
    "status",
    "version",
    "utc_offset",
    "partner",
    "batch_id",
)

# Recompute the rollups of the given meters over [lo, hi) from the deduplicated readings.
REFRESH_HOURLY = """
INSERT INTO readings_hourly
SELECT meter_id, toStartOfHour(ts) AS hour, sum(value), count(), sum(interval_s), groupBitOr(status), now64(6)
FROM readings FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND ts >= toStartOfHour({lo:DateTime('UTC')})
  AND ts < toStartOfHour({hi:DateTime('UTC')}) + INTERVAL 1 HOUR
GROUP BY meter_id, hour
"""

REFRESH_DAILY = """
INSERT INTO readings_daily
SELECT meter_id, toDate(ts + utc_offset) AS day, sum(value), count(), sum(interval_s), groupBitOr(status),
       now64(6)
FROM readings FINAL
WHERE meter_id IN {meters:Array(UInt32)}
  AND ts >= toStartOfDay({lo:DateTime('UTC')}) - INTERVAL 1 DAY
  AND ts < toStartOfDay({hi:DateTime('UTC')}) + INTERVAL 2 DAY
  AND toDate(ts + utc_offset) >= toDate({lo:DateTime('UTC')} + utc_offset)
  AND toDate(ts + utc_offset) <= toDate({hi:DateTime('UTC')} + utc_offset)
GROUP BY meter_id, day
"""

RAW_SERIES = """
SELECT ts, value, interval_s, status
FROM readings FINAL
WHERE meter_id = {meter:UInt32} AND ts >= {start:DateTime('UTC')} AND ts < {end:DateTime('UTC')}
ORDER BY ts
"""

HOURLY_SERIES = """
SELECT hour AS ts, value, samples, covered_s, max_status AS status
FROM readings_hourly FINAL
WHERE meter_id = {meter:UInt32} AND hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')}
ORDER BY ts
"""

DAILY_SERIES = """
SELECT day AS ts, value, samples, covered_s, max_status AS status
FROM readings_daily FINAL
WHERE meter_id = {meter:UInt32} AND day >= {start:Date} AND day < {end:Date}
ORDER BY ts
"""

LATEST_READING = """
SELECT meter_id, max(ts) AS last_ts
FROM readings
WHERE meter_id IN {meters:Array(UInt32)}
GROUP BY meter_id
"""

READINGS_SINCE = """
SELECT ts, value, interval_s
FROM readings FINAL
WHERE meter_id = {meter:UInt32} AND ts > {since:DateTime('UTC')}
ORDER BY ts
"""

COUNT_READINGS = "SELECT count() FROM readings FINAL WHERE meter_id IN {meters:Array(UInt32)}"

# Per metering point over [start, end): seconds covered by readings and how many carried each flag.
QUALITY = """
SELECT meter_id, sum(interval_s) AS covered_s, count() AS samples,
       countIf(bitAnd(status, 1) != 0) AS estimated, countIf(bitAnd(status, 2) != 0) AS resets,
       countIf(bitAnd(status, 4) != 0) AS clock_fixed, countIf(bitAnd(status, 8) != 0) AS rollovers,
       max(ts) AS last_ts
FROM readings FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND ts >= {start:DateTime('UTC')} AND ts < {end:DateTime('UTC')}
GROUP BY meter_id
"""

# Consumption of a set of metering points summed per period: ``period``, ``value``, ``samples``, ``status``
# (the status flags OR-ed). 30-minute periods come from the raw readings (UTC instants), hours from the
# hourly rollup (UTC), days, weeks and months from the daily rollup (local dates).
_FROM_RAW = """
SELECT {period} AS period, sum(value) AS value, count() AS samples, groupBitOr(status) AS status
FROM readings FINAL
WHERE meter_id IN {{meters:Array(UInt32)}} AND ts >= {{start:DateTime('UTC')}} AND ts < {{end:DateTime('UTC')}}
GROUP BY period ORDER BY period
"""
_FROM_HOURLY = """
SELECT hour AS period, sum(value) AS value, sum(samples) AS samples, groupBitOr(max_status) AS status
FROM readings_hourly FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')}
GROUP BY period ORDER BY period
"""
_FROM_DAILY = """
SELECT {period} AS period, sum(value) AS value, sum(samples) AS samples, groupBitOr(max_status) AS status
FROM readings_daily FINAL
WHERE meter_id IN {{meters:Array(UInt32)}} AND day >= {{start:Date}} AND day < {{end:Date}}
GROUP BY period ORDER BY period
"""
GROUP_SERIES = {
    "30min": _FROM_RAW.format(period="toStartOfInterval(ts, INTERVAL 30 MINUTE)"),
    "hour": _FROM_HOURLY,
    "day": _FROM_DAILY.format(period="day"),
    "week": _FROM_DAILY.format(period="toMonday(day)"),
    "month": _FROM_DAILY.format(period="toStartOfMonth(day)"),
}

# Hourly consumption per metering point and UTC hour of day over [start, end): what tariff zones are priced on.
HOUR_OF_DAY_TOTALS = """
SELECT meter_id, toHour(hour) AS utc_hour, sum(value) AS value
FROM readings_hourly FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')}
GROUP BY meter_id, utc_hour
"""

# Consumption per metering point over the local days [start, end), largest first.
METER_TOTALS = """
SELECT meter_id, sum(value) AS value
FROM readings_daily FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND day >= {start:Date} AND day < {end:Date}
GROUP BY meter_id ORDER BY value DESC
"""

# The stored rows a new batch may replace: how corrections are recognised at write time.
EXISTING_READINGS = """
SELECT meter_id, toUInt32(ts) AS ts, value AS old_value, version AS old_version, status AS old_status
FROM readings FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND ts >= {lo:DateTime('UTC')} AND ts <= {hi:DateTime('UTC')}
"""

DEVICE_TIMELINE = """
SELECT ts, online, battery, signal, error_code, tamper
FROM device_status FINAL
WHERE device_id = {device:UInt32} AND ts >= {start:DateTime('UTC')} AND ts < {end:DateTime('UTC')}
ORDER BY ts
"""

PING = "SELECT 1"
