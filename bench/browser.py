"""The first chart in a real browser: for each page and each demo role, the time from navigation to the first chart
or table drawn with data, cold (the first visit after sign-in, the shared answer cache empty) and warm (the same page
again, as a user coming back to it).

    python -m bench.browser [--rounds 3] [--workers 3] [--points 10000] [--warmed]

Headless Chromium through Selenium (as the browser tests drive it) opens ``wattboard web`` (gunicorn) serving the
demo world of :mod:`bench.web_world`. A script the DevTools protocol installs in every document watches the page for
its first drawn element — a plotted trace, a table row with data, a recommendation card — and records
``performance.now()``: milliseconds since the navigation started, measured by the browser itself with no polling
delay. Each round signs every role in afresh (a new browser profile: no HTTP cache), empties the answer cache, visits
each page once (cold) and then each page again (warm). Prints p50/p95 per page and per role, cold and warm; goal on a
quiet machine: p95 ≤ 1.0 s cold.

``--warmed`` runs the warming job (:func:`warming.overview.warm`) after emptying the cache, as the workers do within
a minute of a release or of new readings: "cold" is then a first visit in a running product.

``--points 10000`` adds bench.pages' world (10 organizations sharing that many metering points, a year of hourly
readings) beside the demo's and visits as the administrator, who then sees every point, and as a consumer of one of
its organizations (1,000 points); goal: p95 ≤ 1.5 s cold.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import time
from collections import defaultdict

from selenium import webdriver

from bench.web_world import LARGE_OWNER, add_large_world, demo_world, start_web
from runtime import embedded
from tests.browser import chrome, sign_in
from warming.overview import warm

# Where each page is, and what counts as its first chart or table drawn with data — or as its answer that there is
# none (no recommendation open, no notification, no device, no organization chosen for a forecast).
PAGES = {
    "overview": ("/", "#ov-top tbody tr, #overview-meters tbody tr"),
    "consumption": ("/consumption", "#cons-archive g.trace, #cons-live g.trace"),
    "analysis": ("/analysis", "#ana-heatmap g.hm, #ana-duration g.trace, #ana-profiles g.trace, #ana-months tbody tr"),
    "forecast": ("/forecast", "#fc-chart g.trace, #fc-message:not(:empty)"),
    "recommendations": ("/recommendations", "#rec-cards .card, #rec-empty, #rec-tariff-table tbody tr"),
    "devices": ("/devices", "#dev-table tbody tr, #dev-empty"),
    "notifications": ("/notifications", "#notif-list .list-group-item, #notif-empty"),
}
WATCH = """
(() => {
  const wanted = %s[location.pathname];
  if (!wanted) return;
  const seen = () => {
    if (window.__wbDrawn === undefined && document.querySelector(wanted)) {
      window.__wbDrawn = performance.now();
      watcher.disconnect();
    }
  };
  const watcher = new MutationObserver(seen);
  document.addEventListener("DOMContentLoaded", () => {
    watcher.observe(document.documentElement, {childList: true, subtree: true});
    seen();
  });
})();
"""
TIMEOUT_S = 8.0


def first_drawn(driver: webdriver.Chrome, base: str, path: str) -> float | None:
    """Seconds from navigation to the page's first chart or table drawn (None: nothing drawn in time)."""
    driver.get(base + path)
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        drawn = driver.execute_script("return window.__wbDrawn")
        if drawn is not None:
            return float(drawn) / 1000
        time.sleep(0.05)
    return None


def visit(base: str, email: str, password: str, samples: dict[tuple[str, str, str], list[float]]) -> list[str]:
    """One role's round: every page cold, then every page warm; what was not drawn in time."""
    missing = []
    with chrome() as driver:
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": WATCH % json.dumps({path: wanted for path, wanted in PAGES.values()})},
        )
        sign_in(driver, base, email, password, then="/profile")  # no chart there: every page after is a first visit
        for visit_kind in ("cold", "warm"):
            for page, (path, _) in PAGES.items():
                seconds = first_drawn(driver, base, path)
                if seconds is None:
                    missing.append(f"{email} {page} ({visit_kind})")
                else:
                    samples[(page, email, visit_kind)].append(seconds)
                shown = "not drawn" if seconds is None else f"{seconds * 1000:.0f} ms"
                print(f"  {email:<28} {page:<16} {visit_kind}: {shown}", flush=True)
    return missing


def quantiles(values: list[float]) -> str:
    if not values:
        return "        —"
    if len(values) == 1:
        return f"p50 {values[0] * 1000:5.0f} ms"
    q = statistics.quantiles(sorted(values), n=100, method="inclusive")
    return f"p50 {q[49] * 1000:5.0f} ms  p95 {q[94] * 1000:5.0f} ms"


def report(samples: dict[tuple[str, str, str], list[float]], emails: list[str], goal_ms: int) -> None:
    def pooled(kind: str, page: str | None = None, email: str | None = None) -> list[float]:
        return [
            v
            for (p, e, k), values in samples.items()
            if k == kind and (page is None or p == page) and (email is None or e == email)
            for v in values
        ]

    print(f"\n{'page':<16} {'cold (first visit after sign-in)':<34} warm (the page again)")
    for page in PAGES:
        print(f"{page:<16} {quantiles(pooled('cold', page)):<34} {quantiles(pooled('warm', page))}")
    for email in emails:
        cold, warm = pooled("cold", email=email), pooled("warm", email=email)
        print(f"{email:<28} cold {quantiles(cold):<26} warm {quantiles(warm)}")
    cold, warm = pooled("cold"), pooled("warm")
    goal = f"(goal: cold p95 ≤ {goal_ms} ms)"
    print(f"{'every page and role':<28} cold {quantiles(cold):<26} warm {quantiles(warm)}   {goal}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3, help="sign-ins per role")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--points", type=int, default=0, help="add bench.pages' world of this many metering points")
    parser.add_argument("--warmed", action="store_true", help="run the warming job after emptying the answer cache")
    args = parser.parse_args()

    world = demo_world("wattboard-bench-browser-")
    emails = sorted(world.logins)
    if args.points:
        add_large_world(world, args.points)
        emails = [e for e in emails if e.startswith("admin@")] + [LARGE_OWNER]
    port = embedded.free_port()
    web = start_web(world.env, args.workers, port)
    base = f"http://127.0.0.1:{port}"
    samples: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    missing: list[str] = []
    try:
        visit(base, emails[0], world.logins[emails[0]], defaultdict(list))  # warms the workers up; not counted
        for _ in range(args.rounds):
            for email in emails:
                world.forget_answers()
                if args.warmed:
                    warm(world.services)
                missing += visit(base, email, world.logins[email], samples)
    finally:
        web.send_signal(signal.SIGTERM)
        web.wait(60)
        world.close()
    print(f"\n{args.rounds} rounds × {len(emails)} roles × {len(PAGES)} pages, {args.workers} gunicorn workers")
    report(samples, emails, 1500 if args.points else 1000)
    for what in missing:
        print(f"  not drawn within {TIMEOUT_S:.0f} s: {what}")


if __name__ == "__main__":
    main()
