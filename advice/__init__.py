"""Recommendations with savings in roubles and the evidence: a cheaper tariff plan, base load above the point's
own best weeks, peak load that could move to the night, consumption far outside the forecast, data problems that
distort bills.

Lives here: the detectors (``detectors``: pure functions over one point's data) and the use cases that run them
after a forecast run, list them and let users mark them done or not relevant (``service``). Stored through
``data.relational.recommendations``. May import ``analytics``, ``pricing``, ``forecasting``, ``auth``, ``data`` and
``config``; never ``dashboard``, ``pages`` or ``callbacks``.
"""
