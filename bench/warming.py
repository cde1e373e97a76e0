"""How long the warming job's run takes (issue 19): the work a worker does every minute so that readers find what
they open first already computed.

    python -m bench.warming [--points 10000]

On the demo world (:mod:`bench.web_world`: ClickHouse's engine behind its HTTP interface, PostgreSQL when
``WATTBOARD_TEST_DATABASE_URL`` is set, Redis from ``WATTBOARD_TEST_REDIS_URL``), with ``--points`` bench.pages'
world beside it (10 organizations sharing that many points, a year hourly). Printed for three runs of
:func:`warming.overview.warm`: with the answer cache empty (a release, or new readings everywhere), again at once
(everything there: look-ups only), and with one organization's data changed (what a minute of new readings of one
organization costs): the organizations and points warmed and the seconds. A run warms points for at most
``warming.points.POINTS_BUDGET_S``; what the job leaves, readers compute on asking.
"""

from __future__ import annotations

import argparse

from bench.web_world import add_large_world, demo_world
from caching.answers import changed
from data.relational.meters import list_organizations
from warming.overview import warm


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=0, help="add bench.pages' world of this many metering points")
    args = parser.parse_args()
    world = demo_world("wattboard-bench-warming-")
    try:
        if args.points:
            add_large_world(world, args.points)
        services = world.services
        world.forget_answers()
        runs = [("cache empty", warm(services)), ("again at once", warm(services))]
        first = list_organizations(services.db)[0][0]
        changed(services, [first])
        runs.append((f"organization {first} changed", warm(services)))
        for label, done in runs:
            what = f"{done.get('organizations', 0):>4.0f} organizations, {done.get('points', 0):>6.0f} points"
            print(f"{label:<26} {what} warmed in {done.get('seconds', 0):7.2f} s")
    finally:
        world.close()


if __name__ == "__main__":
    main()
