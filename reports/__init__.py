"""The monthly report letter: each organization's last month in kWh and roubles against the month before, the same
month a year earlier and similar organizations, the month-end projection, the top recommendations and one chart.

- :mod:`reports.comparison` — the figures and whom they are compared with (pure): similar organizations only when
  there are at least five, as a median and the best fifth, never one organization's figure; else the
  organization's own best month.
- :mod:`reports.chart` — the chart as a PNG drawn here (pure, no plotting library, no external image host).
- :mod:`reports.letter` — the letter in Russian or English: subject, plain text and HTML (pure).
- :mod:`reports.monthly` — the use cases: gather an organization's month, send it to the members who opted in
  (once per organization, month and reader), and the scheduled sending in the first days of a month.

Stores are reached through ``data.relational.reports`` and the analytics, pricing, forecasting and advice packages.
"""
