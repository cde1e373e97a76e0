"""Plain computations over readings (no I/O): chart series, gaps, tariff zones, statistics.

May import ``config`` only; callers pass data in and get data out.
"""
