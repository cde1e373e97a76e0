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
- ``rollup_pending``: two rows per write: ``done = 0`` before its raw rows are inserted, ``done = 1`` once its rollups
  are refreshed (kept a day). While a point's range is pending, series by hour and by day are summed from the raw
  rows, so the totals a user sees never disagree between steps.
- ``replaced_readings``: provenance of corrections: every stored value a later batch replaced with a different one,
  with both batches, so a wrong correction can be rolled back. A replay of the same write repeats its key and
  collapses.
- ``weather``: hourly air temperature per place (``place`` = "lat,lon" to two decimals), observed and forecast, as the
  weather source gave it; a later fetch (``fetched_at``) replaces an earlier value for the same hour, so a forecast
  hour becomes the observed one once it has passed.
- ``forecasts``: the stored forecasts of metering points and organization totals (``subject`` meter | org),
  hourly (``step = 'hour'``) and as daily totals to the end of the month (``step = 'day'``, ``ts`` = the local
  midnight). A newer run replaces an older one's value for the same hour; past hours keep the day-ahead
  forecast that was made for them, which is what charts draw the band from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """One table of the store: its columns and MergeTree layout; rendered single-node or for a cluster."""

    name: str
    columns: str
    version: str  # the ReplacingMergeTree version column ('' for none)
    partition: str
    order: str
    shard_key: str  # how a Distributed table spreads rows over shards: a key keeps one series on one shard
    settings: str = ""
    ttl: str = ""  # a TTL expression: rows older than it are dropped by merges


TABLES: tuple[Table, ...] = (
    Table(
        "readings",
        """
        meter_id   UInt32,
        ts         DateTime('UTC')            CODEC(DoubleDelta, ZSTD(1)),
        value      Float64                    CODEC(Gorilla, ZSTD(1)),
        interval_s UInt32                     CODEC(T64, ZSTD(1)),
        status     UInt8                      CODEC(T64, ZSTD(1)),
        version    UInt64                     CODEC(Delta, ZSTD(1)),
        utc_offset Int32                      CODEC(T64, ZSTD(1)),
        partner    LowCardinality(String),
        batch_id   String                     CODEC(ZSTD(3))
        """,
        "version",
        "toYYYYMM(ts)",
        "(meter_id, ts)",
        "meter_id",
        "deduplication_window = 1000",
    ),
    Table(
        "readings_hourly",
        """
        meter_id    UInt32,
        hour        DateTime('UTC')           CODEC(DoubleDelta, ZSTD(1)),
        value       Float64                   CODEC(Gorilla, ZSTD(1)),
        samples     UInt32                    CODEC(T64, ZSTD(1)),
        covered_s   UInt32                    CODEC(T64, ZSTD(1)),
        max_status  UInt8,  -- all status flags of the hour, OR-ed (the name predates that)
        computed_at DateTime64(6, 'UTC')
        """,
        "computed_at",
        "toYYYYMM(hour)",
        "(meter_id, hour)",
        "meter_id",
    ),
    Table(
        "readings_daily",
        """
        meter_id    UInt32,
        day         Date,
        value       Float64                   CODEC(Gorilla, ZSTD(1)),
        samples     UInt32                    CODEC(T64, ZSTD(1)),
        covered_s   UInt32                    CODEC(T64, ZSTD(1)),
        max_status  UInt8,
        computed_at DateTime64(6, 'UTC')
        """,
        "computed_at",
        "toYear(day)",
        "(meter_id, day)",
        "meter_id",
    ),
    Table(
        "device_status",
        """
        device_id  UInt32,
        ts         DateTime('UTC')            CODEC(DoubleDelta, ZSTD(1)),
        online     UInt8,
        battery    Nullable(Float32),
        signal     Nullable(Float32),
        error_code LowCardinality(String),
        tamper     UInt8,
        partner    LowCardinality(String)
        """,
        "",
        "toYYYYMM(ts)",
        "(device_id, ts)",
        "device_id",
    ),
    Table(
        "forecasts",
        """
        subject    LowCardinality(String),
        subject_id UInt32,
        step       LowCardinality(String),
        ts         DateTime('UTC')            CODEC(DoubleDelta, ZSTD(1)),
        value      Float64                    CODEC(Gorilla, ZSTD(1)),
        lower      Nullable(Float64),
        upper      Nullable(Float64),
        run_id     UInt64,
        fitted_at  DateTime64(3, 'UTC')
        """,
        "fitted_at",
        "toYYYYMM(ts)",
        "(subject, subject_id, step, ts)",
        "cityHash64(subject, subject_id)",
    ),
    Table(
        "weather",
        """
        place       LowCardinality(String),
        ts          DateTime('UTC')            CODEC(DoubleDelta, ZSTD(1)),
        temperature Float32                    CODEC(Gorilla, ZSTD(1)),
        fetched_at  DateTime('UTC')
        """,
        "fetched_at",
        "toYYYYMM(ts)",
        "(place, ts)",
        "cityHash64(place)",
    ),
    Table(
        "rollup_pending",
        """
        meters  Array(UInt32),
        lo      DateTime('UTC'),
        hi      DateTime('UTC'),
        token   String,
        done    UInt8,
        at      DateTime('UTC')
        """,
        "",
        "toYYYYMMDD(at)",
        "(at, token)",
        "cityHash64(token)",
        ttl="at + INTERVAL 1 DAY",
    ),
    Table(
        "replaced_readings",
        """
        meter_id    UInt32,
        ts          DateTime('UTC'),
        interval_s  UInt32,
        old_value   Float64,
        old_status  UInt8,
        old_version UInt64,
        old_partner LowCardinality(String),
        old_batch   String,
        new_value   Float64,
        new_version UInt64,
        new_batch   String,
        utc_offset  Int32,
        replaced_at DateTime('UTC')
        """,
        "",
        "toYYYYMM(ts)",
        "(meter_id, ts, new_version)",
        "meter_id",
    ),
)


def schema(cluster: str | None = None) -> tuple[str, ...]:
    """The DDL of every table. Single node: ReplacingMergeTree tables under their own names. With a cluster: a
    ``<name>_local`` ReplicatedReplacingMergeTree table on every replica of every shard, and a ``Distributed`` table
    under the name the queries use, sharded so that all rows of one series (and all versions of one row) live on
    one shard: FINAL, the rollups and the corrections work per shard, and every query stays the same."""
    statements = []
    for table in TABLES:
        layout = f"PARTITION BY {table.partition}\n    ORDER BY {table.order}"
        if table.ttl:
            layout += f"\n    TTL {table.ttl}"
        if cluster is None:
            settings = f"\n    SETTINGS non_replicated_{table.settings}" if table.settings else ""
            engine = f"ReplacingMergeTree({table.version})" if table.version else "ReplacingMergeTree"
            create = f"CREATE TABLE IF NOT EXISTS {table.name} ({table.columns})"
            statements.append(f"{create}\n    ENGINE = {engine}\n    {layout}{settings}")
            continue
        on = f"ON CLUSTER '{cluster}'"
        path = f"'/clickhouse/tables/{{shard}}/{{database}}/{table.name}_local', '{{replica}}'"
        engine = f"ReplicatedReplacingMergeTree({path}{', ' + table.version if table.version else ''})"
        settings = f"\n    SETTINGS replicated_{table.settings}" if table.settings else ""
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {table.name}_local {on} ({table.columns})\n"
            f"    ENGINE = {engine}\n    {layout}{settings}"
        )
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {table.name} {on} AS {table.name}_local\n"
            f"    ENGINE = Distributed('{cluster}', currentDatabase(), {table.name}_local, {table.shard_key})"
        )
    return tuple(statements)


SCHEMA = schema()


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

# Hourly consumption of each of several metering points over [start, end).
HOURLY_BY_METER = """
SELECT meter_id, hour AS ts, value
FROM readings_hourly FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')}
ORDER BY meter_id, ts
"""

COUNT_READINGS = "SELECT count() FROM readings FINAL WHERE meter_id IN {meters:Array(UInt32)}"

# The metering points a partner has delivered readings for (binding partners that predate confinement).
DELIVERED_BY = "SELECT DISTINCT meter_id FROM readings WHERE partner = {partner:String} ORDER BY meter_id"
REPORTED_BY = "SELECT DISTINCT device_id FROM device_status WHERE partner = {partner:String} ORDER BY device_id"

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
# The raw-row equivalents of the rollup queries, for the points and ranges whose rollups are being refreshed.
HOURLY_SERIES_RAW = """
SELECT toStartOfHour(ts) AS ts, sum(value) AS value, count() AS samples, sum(interval_s) AS covered_s,
       groupBitOr(status) AS status
FROM readings FINAL
WHERE meter_id = {meter:UInt32} AND ts >= {start:DateTime('UTC')} AND ts < {end:DateTime('UTC')}
GROUP BY ts ORDER BY ts
"""
# The raw readings of the points' local days [start, end): what the daily rollup would sum.
_RAW_LOCAL_DAYS = """(
    SELECT meter_id, toDate(ts + utc_offset) AS day, value, interval_s, status
    FROM readings FINAL
    WHERE meter_id IN {meters:Array(UInt32)}
      AND ts >= toDateTime({start:Date}, 'UTC') - INTERVAL 1 DAY
      AND ts < toDateTime({end:Date}, 'UTC') + INTERVAL 1 DAY
)"""
_LOCAL_DAYS_RAW = (
    """
SELECT {period} AS {alias}, sum(value) AS value, count() AS samples, {covered}groupBitOr(status) AS status
FROM """
    + _RAW_LOCAL_DAYS.replace("{", "{{").replace("}", "}}")
    + """
WHERE day >= {{start:Date}} AND day < {{end:Date}}
GROUP BY {alias} ORDER BY {alias}
"""
)
DAILY_SERIES_RAW = _LOCAL_DAYS_RAW.format(period="day", alias="ts", covered="sum(interval_s) AS covered_s, ")
GROUP_SERIES_RAW = {  # 30-minute periods are always summed from the raw rows (GROUP_SERIES)
    "hour": _FROM_RAW.format(period="toStartOfHour(ts)"),
    "day": _LOCAL_DAYS_RAW.format(period="day", alias="period", covered=""),
    "week": _LOCAL_DAYS_RAW.format(period="toMonday(day)", alias="period", covered=""),
    "month": _LOCAL_DAYS_RAW.format(period="toStartOfMonth(day)", alias="period", covered=""),
}

HOURLY_BY_METER_RAW = """
SELECT meter_id, toStartOfHour(ts) AS ts, sum(value) AS value
FROM readings FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND ts >= {start:DateTime('UTC')} AND ts < {end:DateTime('UTC')}
GROUP BY meter_id, ts ORDER BY meter_id, ts
"""
HOUR_OF_DAY_TOTALS_RAW = """
SELECT meter_id, toHour(ts) AS utc_hour, sum(value) AS value
FROM readings FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND ts >= {start:DateTime('UTC')} AND ts < {end:DateTime('UTC')}
GROUP BY meter_id, utc_hour
"""
METER_TOTALS_RAW = f"""
SELECT meter_id, sum(value) AS value
FROM {_RAW_LOCAL_DAYS}
WHERE day >= {{start:Date}} AND day < {{end:Date}}
GROUP BY meter_id ORDER BY value DESC
"""

MARK_ROLLUPS = """
INSERT INTO rollup_pending
SELECT {meters:Array(UInt32)}, {lo:DateTime('UTC')}, {hi:DateTime('UTC')}, {token:String}, {done:UInt8}, now()
"""

# The points of the writes over [start, end) whose rollups are not refreshed yet (a handful at most: the caller
# intersects them with its own points, cheaper than sending a long array to the engine). A marker older
# than a quarter of an hour is a write that crashed between the two steps: its replay refreshed the rollups.
PENDING_ROLLUPS = """
SELECT meters
FROM (
    SELECT token, max(done) AS done, any(meters) AS meters, any(lo) AS lo, any(hi) AS hi
    FROM rollup_pending
    WHERE at > now() - INTERVAL 15 MINUTE
    GROUP BY token
)
WHERE done = 0 AND lo < {end:DateTime('UTC')} AND hi >= {start:DateTime('UTC')}
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
SELECT meter_id, toUInt32(ts) AS ts, value AS old_value, version AS old_version, status AS old_status,
       toString(partner) AS old_partner, batch_id AS old_batch
FROM readings FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND ts >= {lo:DateTime('UTC')} AND ts <= {hi:DateTime('UTC')}
"""

# What a batch replaced: the values before it, and its own (for the review page and a rollback).
REPLACED_BY_BATCH = """
SELECT meter_id, toUInt32(ts) AS ts, interval_s, old_value, old_status, old_batch, new_value, utc_offset
FROM replaced_readings FINAL
WHERE new_batch = {batch:String}
ORDER BY meter_id, ts
"""

# Per point and day: how much of it the batch replaced (the review page's list of corrections).
REPLACED_SUMMARY = """
SELECT new_batch AS batch, meter_id, toDate(ts + utc_offset) AS day, count() AS rows, sum(old_value) AS old_kwh,
       sum(new_value) AS new_kwh, sum(abs(new_value - old_value)) AS changed_kwh, max(replaced_at) AS last_replaced,
       any(old_batch) AS old_batch
FROM replaced_readings FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND replaced_at >= {since:DateTime('UTC')}
GROUP BY batch, meter_id, day
ORDER BY last_replaced DESC, batch, meter_id, day
"""

# The local-day totals of these points (after a write) over [lo, hi].
DAY_TOTALS = """
SELECT meter_id, day, value
FROM readings_daily FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND day >= {lo:Date} AND day <= {hi:Date}
"""

# What a point's own history makes plausible: the 99th percentile of its readings by local hour of day.
HOURLY_P99 = """
SELECT meter_id, interval_s, toHour(ts + utc_offset) AS hour, quantile(0.99)(value) AS p99, count() AS samples
FROM readings FINAL
WHERE meter_id IN {meters:Array(UInt32)} AND ts >= {since:DateTime('UTC')}
GROUP BY meter_id, interval_s, hour
"""

DEVICE_TIMELINE = """
SELECT ts, online, battery, signal, error_code, tamper
FROM device_status FINAL
WHERE device_id = {device:UInt32} AND ts >= {start:DateTime('UTC')} AND ts < {end:DateTime('UTC')}
ORDER BY ts
"""

FORECAST_COLUMNS = ("subject", "subject_id", "step", "ts", "value", "lower", "upper", "run_id", "fitted_at")

# The stored forecast of one subject over [start, end): the newest value for each interval.
FORECAST_SERIES = """
SELECT ts, value, lower, upper, run_id
FROM forecasts FINAL
WHERE subject = {subject:String} AND subject_id = {subject_id:UInt32} AND step = {step:String}
  AND ts >= {start:DateTime('UTC')} AND ts < {end:DateTime('UTC')}
ORDER BY ts
"""

# Stored hourly forecasts of many metering points over [start, end).
FORECASTS_OF_METERS = """
SELECT subject_id AS meter_id, ts, value, lower, upper
FROM forecasts FINAL
WHERE subject = 'meter' AND subject_id IN {meters:Array(UInt32)} AND step = 'hour'
  AND ts >= {start:DateTime('UTC')} AND ts < {end:DateTime('UTC')}
ORDER BY meter_id, ts
"""

# The daily totals one run stored (the days after its hourly part, to the end of the month).
FORECAST_DAYS = """
SELECT ts, value, lower, upper
FROM forecasts FINAL
WHERE subject = {subject:String} AND subject_id = {subject_id:UInt32} AND step = 'day' AND run_id = {run_id:UInt64}
ORDER BY ts
"""

WEATHER_COLUMNS = ("place", "ts", "temperature", "fetched_at")

# Hourly temperatures of one place over [start, end), the latest fetch of each hour.
WEATHER_SERIES = """
SELECT ts, temperature
FROM weather FINAL
WHERE place = {place:String} AND ts >= {start:DateTime('UTC')} AND ts < {end:DateTime('UTC')}
ORDER BY ts
"""

# Per place: the last fetch and the last hour known.
WEATHER_FRESHNESS = """
SELECT place, max(fetched_at) AS fetched_at, max(ts) AS last_hour, count() AS hours
FROM weather
GROUP BY place
ORDER BY place
"""

PING = "SELECT 1"
