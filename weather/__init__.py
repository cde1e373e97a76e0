"""The weather beside consumption: hourly air temperature per place, observed and forecast.

- :mod:`weather.places` — where a metering point is: its coordinates, else a known settlement in its address or
  region (pure).
- :mod:`weather.openmeteo` — the client of an Open-Meteo-compatible HTTP API (``WATTBOARD_WEATHER_URL``).
- :mod:`weather.pull` — the scheduled use case: fetch every place's hours, store them, count what failed.
- :mod:`weather.balance` — consumption against temperature: the heating/cooling balance point, degree-days (pure).
- :mod:`weather.standin` — a local server speaking the same API with synthetic weather, for the demo and the tests.

Stores are reached only through ``data.clickhouse.weather``; the forecast reads the stored hours through
:func:`weather.pull.hourly_temperatures`, shared by every web worker through the answer cache (``caching``) until a
pull stores new hours.
"""
