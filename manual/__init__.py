"""Metering points read by eye: most Russian households still read their meter's registers (T1, T2, T3 for zone
plans) each month and report them to the supplier. An owner or member enters them; Wattboard checks them and turns
consecutive readings into consumption per zone over the period, priced by the point's plan.

- :mod:`manual.registers` — which registers a plan has, the checks a new reading must pass, and periods from
  consecutive readings (pure).
- :mod:`manual.actions` — the use cases: create a manual point, enter a reading, the point's periods with roubles.

Stores are reached through ``data.relational.register_readings``; prices through ``pricing.book``.
"""
