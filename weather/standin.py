"""A local server speaking the Open-Meteo forecast API, with synthetic weather: the demo's weather and the tests'.

The temperature follows the season (coldest around 15 January, when the demo's demand is highest), the latitude,
the hour of the day and a slowly wandering weather of its own, the same for the same place and hour on every call.
``fail = "down"`` answers 503, ``fail = "garbage"`` answers JSON without hourly data; ``requests`` counts calls.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.serving import make_server


def annual_mean_and_swing(latitude: float) -> tuple[float, float]:
    """The year's mean (°C) and the seasonal swing either side of it at a latitude (rough Russian climate)."""
    return 24.0 - 0.33 * latitude, 0.25 * latitude  # Moscow ≈ 5.8 ± 14 °C, St Petersburg ≈ 4.4 ± 15 °C


def synthetic_temperature(latitude: float, longitude: float, stamps: np.ndarray) -> np.ndarray:
    """°C at UTC ``stamps`` (datetime64[s]): annual mean and swing by latitude, a daily wave peaking at 15:00 local
    solar time, and a few days' wandering (sums of slow sines with phases from the place)."""
    seconds = stamps.astype("datetime64[s]").astype("int64").astype("float64")
    days = seconds / 86_400
    day_of_year = (stamps.astype("datetime64[D]") - stamps.astype("datetime64[Y]")).astype("int64")
    mean, swing = annual_mean_and_swing(latitude)
    season = -swing * np.cos(2 * np.pi * (day_of_year - 15) / 365.25)
    solar_hour = (seconds / 3600 + longitude / 15) % 24
    daily = 4.0 * np.cos(2 * np.pi * (solar_hour - 15) / 24)
    phase = (latitude * 12.9898 + longitude * 78.233) % (2 * np.pi)
    wander = 3.0 * np.sin(2 * np.pi * days / 6.3 + phase) + 2.0 * np.sin(2 * np.pi * days / 2.7 + 2 * phase)
    return np.round(mean + season + daily + wander, 1)


@dataclass
class StandInWeather:
    fail: str = ""  # "" | "down" | "garbage"
    requests: int = 0
    url: str = ""
    _server: Any = None

    def app(self) -> Flask:
        app = Flask("weather-standin")

        @app.get("/v1/forecast")
        def forecast() -> ResponseReturnValue:
            self.requests += 1
            if self.fail == "down":
                return jsonify(error=True, reason="Service unavailable"), 503
            if self.fail == "garbage":
                return jsonify(latitude=0, longitude=0)
            try:
                latitude = float(request.args["latitude"])
                longitude = float(request.args["longitude"])
                past = int(request.args.get("past_days", 0))
                ahead = int(request.args.get("forecast_days", 7))
            except (KeyError, ValueError):
                return jsonify(error=True, reason="Parameter latitude and longitude must be numbers"), 400
            if request.args.get("hourly") != "temperature_2m":
                return jsonify(error=True, reason="Only hourly=temperature_2m is served here"), 400
            today = np.datetime64(dt.datetime.now(dt.UTC).date(), "D")
            stamps = np.arange(
                (today - np.timedelta64(past, "D")).astype("datetime64[h]"),
                (today + np.timedelta64(ahead, "D")).astype("datetime64[h]"),
            )
            temps = synthetic_temperature(latitude, longitude, stamps.astype("datetime64[s]"))
            times = [str(s)[:16] for s in stamps.astype("datetime64[m]")]
            return jsonify(
                latitude=latitude,
                longitude=longitude,
                timezone="GMT",
                hourly_units={"time": "iso8601", "temperature_2m": "°C"},
                hourly={"time": times, "temperature_2m": [float(t) for t in temps]},
            )

        return app

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._server = make_server(host, port, self.app(), threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True, name="weather-standin").start()
        self.url = f"http://{host}:{self._server.server_port}"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
