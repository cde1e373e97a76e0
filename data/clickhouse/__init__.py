"""ClickHouse, or chDB embedded in the process: all the SQL in one module (``sql``, every value a bound parameter),
the two backends behind one interface (``store``), and the tables over it — readings and their rollups
(``readings``), forecast values (``forecasts``), hourly air temperatures (``weather``)."""
