"""The client of an Open-Meteo-compatible forecast API: hourly air temperature, the last days and the days ahead.

``GET {base}/v1/forecast?latitude=…&longitude=…&hourly=temperature_2m&past_days=…&forecast_days=…&timezone=GMT``
answers ``{"hourly": {"time": ["2026-12-03T00:00", …], "temperature_2m": [-4.2, …]}}`` (times in UTC). The public
service (https://api.open-meteo.com) needs no key.
"""

from __future__ import annotations

import math

import pandas as pd
import requests

from weather.places import Place

TIMEOUT_S = 15.0
MAX_PAST_DAYS = 92  # what the API serves from its forecast endpoint


class WeatherUnavailable(RuntimeError):
    """The weather source did not answer, or answered something that is not hourly temperatures."""


def fetch_hourly(base_url: str, place: Place, past_days: int = 7, forecast_days: int = 8) -> pd.DataFrame:
    """``ts`` (UTC, tz-aware) and ``temperature`` (°C, NaN where the source has none) of ``place``."""
    params: dict[str, str | int | float] = {
        "latitude": round(place.latitude, 4),
        "longitude": round(place.longitude, 4),
        "hourly": "temperature_2m",
        "past_days": max(0, min(past_days, MAX_PAST_DAYS)),
        "forecast_days": max(1, min(forecast_days, 16)),
        "timezone": "GMT",
    }
    url = base_url.rstrip("/") + "/v1/forecast"
    try:
        response = requests.get(url, params=params, timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        raise WeatherUnavailable(f"the weather source did not answer: {type(exc).__name__}") from None
    if response.status_code != 200:
        reason = _reason(response)
        raise WeatherUnavailable(f"the weather source answered {response.status_code}{': ' + reason if reason else ''}")
    try:
        hourly = response.json()["hourly"]
        times, values = hourly["time"], hourly["temperature_2m"]
    except (ValueError, KeyError, TypeError):
        raise WeatherUnavailable("the weather source's answer has no hourly temperature_2m") from None
    if not isinstance(times, list) or not isinstance(values, list) or len(times) != len(values):
        raise WeatherUnavailable("the weather source's hourly times and temperatures differ in length")
    try:
        stamps = pd.to_datetime(pd.Series(times, dtype="object"), format="ISO8601", utc=True)
    except (ValueError, TypeError):
        raise WeatherUnavailable("the weather source's hourly times are not ISO 8601") from None
    temps = [_celsius(v) for v in values]
    return pd.DataFrame({"ts": stamps, "temperature": temps})


def _celsius(value: object) -> float:
    """A plausible air temperature, else NaN (a missing hour is null in the API)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return math.nan
    return float(value) if -90.0 <= value <= 60.0 else math.nan


def _reason(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("reason", ""))[:200] if isinstance(body, dict) else ""
