"""Forecasts: candidate models, the rolling-origin backtest that picks one per series, the stored forecast
with its 80 % interval, and the month-end projection of kWh and roubles.

Lives here: a regular series on local time (``series``), the candidate models (``models``), the
backtest with its conformal intervals (``backtest``), choosing a model and building what is stored
(``selection``), the month-end projection (``projection``), and the use cases that read history, run the
selection and store the result (``service``). The models take arrays and return arrays; only ``service``
reaches storage, through ``data``. May import ``analytics``, ``data`` and ``config``; never
``dashboard``, ``pages``, ``callbacks`` or ``workers``.
"""
