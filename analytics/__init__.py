"""What users are shown, computed from readings: chart series, tariff zones and costs, profiles, summaries.

Pure computations (``series``, ``tariffs``, ``calendar``, ``profile``, ``quality``) take data and return
data. The view modules (``consumption``, ``analysis``, ``overview``, ``devices``) fetch what they need
through ``data``'s read functions and hand back frames and plain dataclasses that both the Dash
callbacks and the CSV/XLSX exports use. May import ``config`` and ``data``; never ``dashboard``,
``pages``, ``callbacks`` or ``auth``.
"""
