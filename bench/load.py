"""Load benchmark: concurrent signed-in users walking overview → consumption → analysis → forecast →
recommendations → devices → notifications against ``wattboard web`` (gunicorn), with the page's real callback POSTs,
on the demo world.

    python -m bench.load [--users 50] [--duration 180] [--workers 3] [--threads 4] [--think 1.0] [--by-menu]
                         [--compare-extra-worker] [--compare-cache-off] [--compare-cold] [--compare-by-menu]

The demo world is :mod:`bench.web_world`'s (13 months of history in ClickHouse's engine behind its HTTP interface,
PostgreSQL when ``WATTBOARD_TEST_DATABASE_URL`` is set, Redis from ``WATTBOARD_TEST_REDIS_URL``). Each user signs in
through the login form, then loads pages in turn: the page's HTML, the shell (``/_dash-layout``, with the page in it),
the callbacks' map, then the callbacks the browser fires when the page opens (the metering point picker
first where the charts depend on it; the ranges the date pickers open on, :func:`analytics.series.opening_days`, in
the readers' default zone). A page load is that whole sequence. While a user reads a page, its bell asks for news
every 10 s, as an open page does (``bell refresh``), and the consumption page's live chart every 5 s (``live
refresh``); neither is part of a page load. The callbacks a page fires as it opens are those a browser sends (counted
in Chromium: overview 1, consumption 2, analysis 2, forecast 2, recommendations 2, devices 1, notifications 1), and
those that wait on nothing but the page go together, as Dash sends them.

A reader who has a page open reaches the next by the menu, and the browser asks for no shell then: with
``--by-menu`` each round's first page (the overview) is loaded whole, as from a bookmark or a new tab, and the other six
are reached as a click on the menu reaches them (counted in Chromium): the pages router's answer with the page in it
(and for staff, together with it, the organization switch's options); then the page's callbacks as above.
``--compare-by-menu`` walks again the other way, so the two are compared in one run.

Prints requests/s, p50/p95/p99 per page load and per request kind, errors, and the **CPU milliseconds per page load**
spent by the web workers, by the ClickHouse stand-in (the real engine in a process of its own, sharing the two cores
here; on a deployment with ClickHouse on its own machine that share leaves the web host) and by PostgreSQL and Redis.
Goal on a 2-core machine: zero errors, p95 ≤ 500 ms per page load. With ``--compare-extra-worker`` the same walk runs
again with one more gunicorn worker; with ``--compare-cache-off`` it runs again with the shared answer cache off
(``WATTBOARD_ANSWER_CACHE_S=0``), so the cache's gain is a ratio measured in one run. Before the walk, with an empty
cache, the warming job runs once (:func:`warming.overview.warm`, as the workers run it every minute and so within a
minute of a release); ``--compare-cold`` walks again without it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import signal
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from analytics.series import opening_days
from bench.web_world import demo_world, start_web
from dashboard.ids.consumption import LIVE_REFRESH_MS
from dashboard.shell import BELL_REFRESH_MS
from data.relational.alert_settings import DEFAULT_ZONE
from runtime import embedded
from tests.dash_client import DashClient, component
from tests.helpers import login

PAGES = ("overview", "consumption", "analysis", "forecast", "recommendations", "devices", "notifications")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WINDOW_S = 30


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of these processes so far (those that ended are not counted)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return total


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants (gunicorn's master and its workers)."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children[ppid].append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def processes_named(*names: str) -> list[int]:
    """Every process whose command is one of ``names`` (the machine's PostgreSQL and Redis)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in names:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def percentiles(samples: list[float]) -> str:
    if len(samples) < 2:
        return "n/a"
    q = statistics.quantiles(sorted(samples), n=100, method="inclusive")
    return f"p50 {q[49] * 1000:6.0f} ms  p95 {q[94] * 1000:6.0f} ms  p99 {q[98] * 1000:6.0f} ms"


@dataclass
class Tally:
    pages: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    requests: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)
    cpu: dict[str, float] = field(default_factory=dict)  # seconds of CPU during the walk: web, clickhouse, pg+redis
    walkers_cpu: float = 0.0  # seconds of CPU of the client processes: the simulated users, on the same two cores
    finished: list[tuple[float, float]] = field(default_factory=list)  # (when a page load ended, its seconds)

    def add(self, kind: str, seconds: float, bucket: str = "requests") -> None:
        with self.lock:
            getattr(self, bucket)[kind].append(seconds)
            if bucket == "pages":
                self.finished.append((time.monotonic(), seconds))

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] += 1


class User:
    """One signed-in browser: loads the four pages in turn with the callbacks each page fires on opening."""

    def __init__(
        self,
        app,
        base: str,
        email: str,
        password: str,
        tally: Tally,
        rng: random.Random,
        pool: ThreadPoolExecutor,
        by_menu: bool = False,
    ) -> None:
        self.session = login(base, email, password)
        self.by_menu = by_menu  # after a round's first page, the next ones are reached by the menu
        self.base, self.tally, self.rng, self.pool = base, tally, rng, pool
        self.live: dict[str, object] | None = None  # the consumption page's live chart, while that page is open
        self.next_live = 0.0
        self.client = DashClient(app, base, self.session)
        self.today = dt.datetime.now(ZoneInfo(DEFAULT_ZONE)).date()  # the readers' today (their zone: the default)
        self.layout: Any = None  # the shell of the page last loaded, with the page in it
        self.ticks = 0
        self.next_tick = 0.0  # when the open page's bell asks again (dashboard.shell.BELL_REFRESH_MS)
        self.seen: object = None  # the bell's version the page shows
        self.staff = False  # the shell has the organization switch's location (staff's shells only)

    def open(self, path: str) -> None:
        """A page as the reader reaches it: the round's first (the overview) loaded whole, as from a bookmark or a
        new tab; with ``by_menu`` the others by the menu, without the shell."""
        if self.by_menu and self.layout is not None and path != "/":
            self.follow(path)
        else:
            self.get(path)

    def follow(self, path: str) -> None:
        """What a browser sends as a menu link is clicked (counted in Chromium): the pages router's answer with the
        page in it, and for staff, together with it, the organization switch's options; then the page's own
        callbacks, as on a whole load."""
        self.live = None
        calls: list[tuple[str, str, Mapping[str, object], str]] = [
            ("GET page by the menu", "_pages_content.children",
             {"_pages_location.pathname": path, "_pages_location.search": ""}, "_pages_location.pathname"),
        ]  # fmt: skip
        if self.staff:
            where = {"shell-staff-url.pathname": path, "shell-staff-url.search": ""}
            calls.append(("organization switch", "org-switch.options", where, "shell-staff-url.pathname"))
        routed, *_ = self.together(*calls)
        self.layout = routed.get("_pages_content", {}).get("children")
        if self.layout is None:
            raise RuntimeError(f"the pages router sent no page for {path}")

    def get(self, path: str) -> None:
        """What a browser asks for as it loads an address: the page, the shell (with the page and the bell in it: the
        request names the address it comes from) and the map of callbacks."""
        for kind, url, headers in (
            ("GET page", path, {}),
            ("GET layout", "/_dash-layout", {"Referer": self.base + path}),
            ("GET dependencies", "/_dash-dependencies", {}),
        ):
            began = time.perf_counter()
            answer = self.session.get(self.base + url, headers=headers, timeout=30)
            self.tally.add(kind, time.perf_counter() - began)
            if answer.status_code != 200:
                raise RuntimeError(f"GET {url} for {path}: {answer.status_code}")
            if kind == "GET layout":
                self.layout = answer.json()
                self.next_tick = time.monotonic() + BELL_REFRESH_MS / 1000
                self.live = None
                self.seen = (component(self.layout, "bell-seen") or {}).get("props", {}).get("data")
                self.staff = component(self.layout, "shell-staff-url") is not None

    def look(self, seconds: float) -> None:
        """The user reads the page; meanwhile, as in a browser, the page's bell asks every few seconds, and the
        consumption page's live chart too."""
        until = time.monotonic() + seconds
        while (now := time.monotonic()) < until:
            due = min(self.next_tick, self.next_live if self.live is not None else until)
            if now < due:
                time.sleep(min(until, due) - now)
            elif now >= self.next_tick:
                self.next_tick = now + BELL_REFRESH_MS / 1000
                self.tick(self.ring)
            else:
                self.next_live = now + LIVE_REFRESH_MS / 1000
                self.tick(self.refresh_live)

    def tick(self, refresh: Callable[[], None]) -> None:
        try:
            refresh()
        except Exception as exc:  # counted, and the user reads on
            self.tally.error(f"{refresh.__name__}: {str(exc)[:120]}")

    def ring(self) -> None:
        self.ticks += 1
        values = {"bell-tick.n_intervals": self.ticks, "bell-seen.data": self.seen}
        out = self.callback("bell refresh", "bell-count.children", values, changed="bell-tick.n_intervals")
        self.seen = out.get("bell-seen", {}).get("data", self.seen)  # nothing when the bell is the page's still

    def refresh_live(self) -> None:
        assert self.live is not None
        self.ticks += 1
        values = {**self.live, "cons-live-tick.n_intervals": self.ticks}
        out = self.callback("live refresh", "cons-live.figure", values, changed="cons-live-tick.n_intervals")
        cursor = out.get("cons-live-cursor", {}).get("data")
        if cursor is not None:
            self.live["cons-live-cursor.data"] = cursor

    def callback(
        self, kind: str, output: str, values: Mapping[str, object], changed: str | None = None
    ) -> dict[str, Any]:
        """POST a callback (``changed``: the input that fired it, when not the first); its answer, {} for a 204."""
        began = time.perf_counter()
        answer = self.client.call(output, values, changed)
        self.tally.add(kind, time.perf_counter() - began)
        if answer.status_code not in (200, 204):
            raise RuntimeError(f"{kind}: {answer.status_code} {answer.text[:200]}")
        return answer.json()["response"] if answer.status_code == 200 else {}

    def days(self, page: str) -> dict[str, str]:
        """The range a page's date picker opens with (what a browser sends before anyone touches it)."""
        first, last = opening_days(page, self.today)
        return {"start": first, "end": last}

    def together(
        self, *calls: tuple[str, str, Mapping[str, object]] | tuple[str, str, Mapping[str, object], str]
    ) -> list[dict[str, Any]]:
        """Callbacks the page fires at once, as Dash does when they wait on nothing but the page: sent together."""
        return list(self.pool.map(lambda call: self.callback(*call), calls))

    def overview(self) -> None:
        self.open("/")
        values = {"org-switch.value": None, "fr-added.data": None}
        self.callback("overview", "ov-org.children", values)

    def picked(self, prefix: str) -> list[str] | None:
        """A point of the picker the page came with (the shell's layout holds it: no callback fills it)."""
        picker = component(self.layout, f"{prefix}-meter") or {}
        options = picker.get("props", {}).get("options") or []
        if not options:
            raise RuntimeError(f"the {prefix} page came without its metering points")
        return [self.rng.choice(options)["value"]]

    def consumption(self) -> None:
        self.open("/consumption")
        meter = self.picked("cons")
        span = self.days("consumption")
        chart = {
            "cons-meter.value": meter,
            "cons-range.start_date": span["start"],
            "cons-range.end_date": span["end"],
            "cons-step.value": "hour",
            "cons-compare.value": [],
        }
        live = {"cons-meter.value": meter, "cons-live-tick.n_intervals": None, "cons-live-cursor.data": None}
        _, drawn = self.together(
            ("consumption chart", "cons-archive.figure", chart),  # with the cards of points read by hand
            ("live chart", "cons-live.figure", live),
        )
        self.live = {**live, "cons-live-cursor.data": drawn.get("cons-live-cursor", {}).get("data")}
        self.next_live = time.monotonic() + LIVE_REFRESH_MS / 1000

    def analysis(self) -> None:
        self.open("/analysis")
        meter = self.picked("ana")
        span = self.days("analysis")
        chosen = {"ana-meter.value": meter, "ana-range.start_date": span["start"], "ana-range.end_date": span["end"]}
        out, _ = self.together(
            ("analysis charts", "ana-heatmap.figure", {**chosen, "org-switch.value": None}),  # and the weather chart
            ("analysis months", "ana-months.children", {"ana-meter.value": meter, "org-switch.value": None}),
        )
        if not out.get("ana-heatmap", {}).get("figure", {}).get("data"):
            raise RuntimeError("heatmap without data")

    def forecast(self) -> None:
        self.open("/forecast")
        progress = {"org-switch.value": None, "fc-meter.value": None}
        self.together(  # the picker comes with the page (no point in the address: the organization's total)
            ("forecast progress", "fc-progress.value", {**progress, "fc-poll.n_intervals": None}),
            ("forecast page", "fc-chart.figure",
             {"fc-meter.value": None, "org-switch.value": None, "fc-run-finished.data": None}),
        )

    def recommendations(self) -> None:
        self.open("/recommendations")
        url = {"org-switch.value": None}
        picker = component(self.layout, "rec-tariff-meter") or {}  # the comparison's point comes with the page
        code = picker.get("props", {}).get("value")
        calls: list[tuple[str, str, Mapping[str, object]]] = [
            ("recommendation cards", "rec-cards.children", {**url, "rec-filter.value": "open"})
        ]
        if code:
            span = self.days("tariffs")
            calls.append(("tariff comparison", "rec-tariff-table.children", {
                "rec-tariff-meter.value": code,
                "rec-tariff-range.start_date": span["start"],
                "rec-tariff-range.end_date": span["end"],
            }))  # fmt: skip
        self.together(*calls)

    def devices(self) -> None:
        self.open("/devices")
        self.callback("devices table", "dev-table.children", {"dev-filter.value": "all", "org-switch.value": None})

    def notifications(self) -> None:
        self.open("/notifications")
        self.callback(
            "notification list",
            "notif-list.children",
            {
                "org-switch.value": None,
                "notif-kind.value": None,
                "notif-severity.value": None,
                "notif-state.value": "",
                "notif-period.value": "week",
            },
        )

    def walk(self, until: float, think: float) -> None:
        time.sleep(self.rng.uniform(0, think))  # users do not all arrive in the same instant
        while time.monotonic() < until:
            for page in PAGES:
                if time.monotonic() >= until:
                    return
                began = time.perf_counter()
                try:
                    getattr(self, page)()
                except Exception as exc:  # counted, and the walk goes on
                    self.tally.error(f"{page}: {str(exc)[:120]}")
                else:
                    self.tally.add(page, time.perf_counter() - began, "pages")
                self.look(self.rng.uniform(0.5 * think, 1.5 * think))


def run(
    app,
    env: dict[str, str],
    logins: dict[str, str],
    args: argparse.Namespace,
    workers: int,
    store_pid: int,
    label: str,
    warm: Callable[[], dict[str, float]] | None = None,
    by_menu: bool = False,
) -> Tally:
    port = embedded.free_port()
    proc = start_web(env, workers, port, args.threads)
    base = f"http://127.0.0.1:{port}"
    tally = Tally()
    ctx = multiprocessing.get_context("fork")
    go, until = ctx.Event(), ctx.Value("d", 0.0)
    results: Any = ctx.Queue()
    accounts = sorted(logins.items())
    parts = [list(range(args.users))[k :: args.clients] for k in range(args.clients)]
    clients = [
        ctx.Process(
            target=_client, args=(app, base, accounts, part, args.think, go, until, results, by_menu), daemon=True
        )
        for part in parts
    ]
    try:
        for client in clients:
            client.start()
        for _ in clients:  # every simulated user signed in
            if results.get(timeout=300) != "ready":
                raise SystemExit("a client process could not sign its users in")
        if warm is not None:  # what the workers' minute job does after a release (the cache is empty at start)
            done = warm()
            what = f"{done.get('organizations', 0):.0f} organizations and {done.get('points', 0):.0f} points"
            print(f"\n{label}the warming job: {what} in {done.get('seconds', 0):.2f} s")
        web = process_tree(proc.pid)
        others = processes_named("postgres", "redis-server", "valkey-server")
        cpu_before = (cpu_seconds(web), cpu_seconds([store_pid]), cpu_seconds(others))
        began = time.monotonic()
        until.value = began + args.duration
        go.set()
        for _ in clients:
            part = results.get(timeout=args.duration + 300)
            for bucket in ("pages", "requests"):
                for kind, samples in part[bucket].items():
                    getattr(tally, bucket)[kind].extend(samples)
            for what, count in part["errors"].items():
                tally.errors[what] += count
            tally.finished += [(at - began, seconds) for at, seconds in part["finished"]]
            tally.walkers_cpu += part["cpu"]
        elapsed = time.monotonic() - began
        cpu_after = (cpu_seconds(web), cpu_seconds([store_pid]), cpu_seconds(others))
        tally.cpu = {k: b - a for k, a, b in zip(("web", "clickhouse", "pg+redis"), cpu_before, cpu_after, strict=True)}
    finally:
        for client in clients:
            client.join(10)
            if client.is_alive():
                client.kill()
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    report(tally, elapsed, workers, args, label)
    return tally


def _client(app, base: str, accounts: list[tuple[str, str]], indices: list[int], think: float, go: Any, until: Any,
            results: Any, by_menu: bool) -> None:
    """One process of simulated users (as browsers are, they do not share one interpreter): signs them in, walks when
    told, and sends back what it measured."""
    tally = Tally()
    pool = ThreadPoolExecutor(len(indices) * 2)  # a browser sends a page's callbacks together
    try:
        users = [
            User(app, base, *accounts[i % len(accounts)], tally, random.Random(i), pool, by_menu) for i in indices
        ]
    except Exception:
        results.put("failed")
        raise
    results.put("ready")
    go.wait()
    cpu = time.process_time()
    threads = [threading.Thread(target=u.walk, args=(until.value, think), daemon=True) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(until.value - time.monotonic() + 120)
    pool.shutdown(wait=False, cancel_futures=True)
    results.put(
        {
            "pages": dict(tally.pages),
            "requests": dict(tally.requests),
            "errors": dict(tally.errors),
            "finished": tally.finished,
            "cpu": time.process_time() - cpu,
        }
    )


def cpu_ms_per_page(tally: Tally) -> dict[str, float]:
    loads = sum(len(v) for v in tally.pages.values()) or 1
    return {k: v * 1000 / loads for k, v in tally.cpu.items()}


def report(tally: Tally, elapsed: float, workers: int, args: argparse.Namespace, label: str = "") -> None:
    n_requests = sum(len(v) for v in tally.requests.values())
    n_pages = sum(len(v) for v in tally.pages.values())
    print(
        f"\n{label}{args.users} users, {workers} gunicorn workers × {args.threads} threads, {elapsed:.0f} s, "
        f"think time {args.think} s"
    )
    print(
        f"  {n_requests / elapsed:6.1f} requests/s   {n_pages / elapsed:5.1f} page loads/s   "
        f"errors {sum(tally.errors.values())}"
    )
    cpu = cpu_ms_per_page(tally)
    busy = sum(tally.cpu.values()) / elapsed
    print(
        "  CPU per page load: "
        + "   ".join(f"{k} {v:6.1f} ms" for k, v in cpu.items())
        + f"   (all {sum(cpu.values()):6.1f} ms; busy {busy:4.2f} of {os.cpu_count()} cores, "
        f"and the simulated users {tally.walkers_cpu / elapsed:4.2f})"
    )
    for page in PAGES:
        print(f"  page {page:<12} n={len(tally.pages[page]):>5}  {percentiles(tally.pages[page])}")
    windows: dict[int, list[float]] = defaultdict(list)
    for at, seconds in tally.finished:
        windows[int(at // WINDOW_S)].append(seconds)
    print(f"  every page load by {WINDOW_S} s of the walk (the first starts with every answer cache empty):")
    for window, samples in sorted(windows.items()):
        span = f"{window * WINDOW_S}–{(window + 1) * WINDOW_S} s"
        print(f"    {span:<12} n={len(samples):>5}  {percentiles(samples)}")
    for kind in sorted(tally.requests):
        print(f"    {kind:<22} n={len(tally.requests[kind]):>5}  {percentiles(tally.requests[kind])}")
    for what, count in sorted(tally.errors.items()):
        print(f"  error ×{count}: {what}")


def side_by_side(before: Tally, after: Tally) -> None:
    """p95 per page load of two walks."""
    for page in PAGES:
        a, b = before.pages[page], after.pages[page]
        if len(a) > 1 and len(b) > 1:
            qa = statistics.quantiles(a, n=100)[94] * 1000
            qb = statistics.quantiles(b, n=100)[94] * 1000
            print(f"  {page:<16} p95 {qa:6.0f} ms → {qb:6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--clients", type=int, default=4, help="processes the simulated users are spread over")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a user looks at a page (±50 %%)")
    parser.add_argument("--compare-extra-worker", action="store_true")
    parser.add_argument("--compare-cache-off", action="store_true", help="run again with WATTBOARD_ANSWER_CACHE_S=0")
    parser.add_argument(
        "--compare-cold", action="store_true", help="run again without the warming job before the walk"
    )
    parser.add_argument(
        "--by-menu", action="store_true", help="after each round's first page, reach the others by the menu"
    )
    parser.add_argument(
        "--compare-by-menu", action="store_true", help="run again reaching pages by the menu (or whole, with --by-menu)"
    )
    args = parser.parse_args()

    world = demo_world("wattboard-bench-load-")
    settings, services, logins, env = world.settings, world.services, world.logins, world.env
    clickhouse = world.clickhouse

    from warming.overview import warm
    from web import create_app

    app = create_app(settings, services)  # for the callback map only: the load goes to `wattboard web`
    app.server.test_client().get("/health")  # Dash adds the pages router's callback to the map on its first request
    forget_answers = world.forget_answers  # every run starts with an empty cache
    try:
        forget_answers()
        mode = "by the menu, " if args.by_menu else ""
        first = run(app, env, logins, args, args.workers, clickhouse.pid, f"{mode}cache on: ", lambda: warm(services),
                    args.by_menu)  # fmt: skip
        if args.compare_by_menu:
            forget_answers()
            other = "loaded whole, " if args.by_menu else "by the menu, "
            menu = run(app, env, logins, args, args.workers, clickhouse.pid, f"{other}cache on: ",
                       lambda: warm(services), not args.by_menu)  # fmt: skip
            print(f"\n{mode or 'loaded whole, '}→ {other}same walk:")
            side_by_side(first, menu)
            a, b = sum(cpu_ms_per_page(first).values()), sum(cpu_ms_per_page(menu).values())
            print(f"  CPU per page load: {a:.1f} ms → {b:.1f} ms (×{b / max(a, 1e-9):.2f})")
        if args.compare_cold:
            forget_answers()
            cold = run(app, env, logins, args, args.workers, clickhouse.pid, "cache on, nothing warmed: ")
            print("\nthe warming job (nothing warmed → warmed before the walk):")
            side_by_side(cold, first)
        if args.compare_cache_off:
            forget_answers()
            off = run(app, {**env, "WATTBOARD_ANSWER_CACHE_S": "0"}, logins, args, args.workers, clickhouse.pid,
                      "cache off: ")  # fmt: skip
            on_cpu, off_cpu = cpu_ms_per_page(first), cpu_ms_per_page(off)
            print("\nthe answer cache (off → on, same walk):")
            side_by_side(off, first)
            total_on, total_off = sum(on_cpu.values()), sum(off_cpu.values())
            print(
                f"  CPU per page load: {total_off:.1f} ms off → {total_on:.1f} ms on "
                f"(web {off_cpu['web']:.1f} → {on_cpu['web']:.1f}; ×{total_off / max(total_on, 1e-9):.2f} less)"
            )
        if args.compare_extra_worker:
            second = run(app, env, logins, args, args.workers + 1, clickhouse.pid, "one more worker: ")
            print(f"\none more worker ({args.workers} → {args.workers + 1}):")
            side_by_side(first, second)
            total = (sum(map(len, first.pages.values())), sum(map(len, second.pages.values())))
            print(f"  page loads {total[0]} → {total[1]} in the same time")
    finally:
        world.close()


if __name__ == "__main__":
    main()
