"""The monthly report letter: planted months whose kWh are known, six similar households in the region (their crowd,
never one of them), the letter through a local SMTP server as plain text and HTML with the chart inline, once per
reader and month, the command an operator types, and the HTML drawn in Chromium."""

from __future__ import annotations

import base64
import datetime as dt
import struct
import zlib
from email.message import EmailMessage

import pytest
from sqlalchemy import update

from auth.inn import complete_inn
from auth.principal import Principal
from data.clickhouse.readings import write_readings
from data.relational.models import Organization, User
from reports.chart import HIGHLIGHT, bar_chart
from reports.comparison import MIN_PEERS, BestMonth, MonthlyReport, best_month, peers
from reports.letter import number, render
from reports.monthly import SYSTEM, gather, send_monthly, subscribe
from tests.browser import chrome
from tests.conftest import RELATIONAL_BACKENDS
from tests.helpers import epoch, make_org, make_user
from tests.test_clickhouse_store import MSK, frame
from tests.test_partner_cli import cli

NOVEMBER = dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
PEER_KWH = [600.0, 650.0, 700.0, 800.0, 900.0, 1000.0]  # per point in November: median 750, best fifth 650


def _pixels(png: bytes) -> tuple[int, int, bytes]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    data, pos = b"", 8
    while pos < len(png):
        length = struct.unpack(">I", png[pos : pos + 4])[0]
        if png[pos + 4 : pos + 8] == b"IDAT":
            data += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(data)


def test_the_chart_is_a_png_with_the_reported_month_highlighted_and_gaps_left_empty() -> None:
    width, height, raw = _pixels(bar_chart([100.0, None, 50.0, 200.0], width=80, height=40))
    assert (width, height) == (80, 40) and len(raw) == height * (1 + width * 3)
    rows = [raw[y * (1 + width * 3) + 1 : (y + 1) * (1 + width * 3)] for y in range(height)]
    colour = bytes(HIGHLIGHT)
    highlighted = {x for row in rows for x in range(width) if row[x * 3 : x * 3 + 3] == colour}
    assert highlighted and min(highlighted) >= 60  # only the last bar
    assert all(row[25 * 3 : 25 * 3 + 3] == b"\xff\xff\xff" for row in rows[:-4])  # the month without data


def test_the_crowd_needs_five_and_shows_no_single_organization() -> None:
    four = [(700.0, 1), (800.0, 1), (900.0, 2), (500.0, 1)]
    assert len(four) < MIN_PEERS and peers(720.0, 1, four) is None
    crowd = peers(1440.0, 2, [(v, 1) for v in PEER_KWH])
    assert crowd is not None and crowd.count == 6
    assert crowd.median_per_point == 750.0 and crowd.best_fifth_per_point == 650.0
    assert round(crowd.versus_median, 3) == -0.04
    history = [(dt.date(2026, m, 1), float(100 * m)) for m in range(1, 12)]
    assert best_month(history, NOVEMBER) == BestMonth(dt.date(2026, 1, 1), 100.0)


def _hourly(meter: int, month: dt.date, kwh_per_hour: float):
    """A month of hourly readings from local midnight in Moscow."""
    start = epoch(month.year, month.month, 1, 0, 0) - MSK
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return frame(meter, start, [kwh_per_hour] * ((following - month).days * 24), version=1, step=3600)


def seed(services) -> int:
    """ООО «Своя»: two points, 1 kWh an hour each in November 2026, 0.5 in October, 2 in November 2025; six
    similar households in the region with known November totals, and one of another region that must not count."""
    own = make_org(services.db, "771100000", "Семья Ивановых", ["OWN-1", "OWN-2"], kind="household")
    others = [
        make_org(services.db, f"7712000{n:02d}", f"Соседи {n}", [f"PEER-{n}"], kind="household")
        for n in range(len(PEER_KWH))
    ]
    far = make_org(services.db, "771300000", "Далёкие", ["FAR-1"], kind="household")
    with services.db.session() as s:
        s.execute(update(Organization).where(Organization.id.in_([own, *others])).values(region="Москва"))
        s.execute(update(Organization).where(Organization.id == far).values(region="Чукотский АО"))
    frames = []
    for meter in (1, 2):
        frames += [_hourly(meter, NOVEMBER, 1.0), _hourly(meter, dt.date(2026, 10, 1), 0.5)]
        frames.append(_hourly(meter, dt.date(2025, 11, 1), 2.0))
    for i, total in enumerate(PEER_KWH):
        frames.append(_hourly(3 + i, NOVEMBER, total / 720))
    frames.append(_hourly(9, NOVEMBER, 0.01))
    for f in frames:
        write_readings(services.store, f)
    make_user(services.db, "owner@own.ru", "consumer", complete_inn("771100000"))
    make_user(services.db, "member@own.ru", "consumer", complete_inn("771100000"))
    make_user(services.db, "quiet@own.ru", "consumer", complete_inn("771100000"))
    with services.db.session() as s:
        s.execute(update(User).where(User.email == "member@own.ru").values(language="en"))
        ids = {u.email: u.id for u in s.query(User)}
    for email in ("owner@own.ru", "member@own.ru"):
        subscribe(services, Principal(ids[email], email, "consumer", own), True)
    return own


def _html(letter: EmailMessage) -> tuple[str, bytes]:
    html = next(p for p in letter.walk() if p.get_content_type() == "text/html").get_content()
    png = next(p for p in letter.walk() if p.get_content_type() == "image/png")
    assert png["Content-ID"] == "<chart>"
    return html, bytes(png.get_payload(decode=True))


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_the_letter_tells_the_planted_month_once_per_reader_in_their_language(services, smtp) -> None:
    org = seed(services)
    report = gather(services, org, NOVEMBER, NOW)
    assert [round(v or 0, 6) for v in (report.kwh, report.previous_kwh, report.last_year_kwh)] == [1440, 744, 2880]
    assert report.peers is not None and report.peers.count == 6  # the far region's household is not among them
    assert round(report.peers.median_per_point, 6) == 750.0
    assert report.rub is not None and report.rub > 0

    summary = send_monthly(services, SYSTEM, org, NOVEMBER, now=NOW)
    assert sorted(summary.sent) == ["member@own.ru", "owner@own.ru"]
    assert smtp.letters_to("quiet@own.ru") == []  # did not opt in
    ru = smtp.letters_to("owner@own.ru")[0]
    assert ru["Subject"] == "Wattboard: Семья Ивановых — отчёт за ноябрь 2026"
    text = smtp.body(ru)
    assert f"Израсходовано: {number(1440, 'ru')} кВт·ч" in text
    assert f"к предыдущему месяцу: +93,5 % ({number(744, 'ru')} кВт·ч, " in text
    assert f"к ноябрю прошлого года: −50,0 % ({number(2880, 'ru')} кВт·ч" in text
    assert report.previous_rub is not None and f"{number(report.previous_rub, 'ru')} ₽)" in text
    assert "Похожие организации (6, тот же вид и регион)" in text and "медиана 750 кВт·ч" in text
    assert "лучшие 20 % — не более 650 кВт·ч" in text and "(−4,0 % к медиане)" in text
    assert "Соседи" not in text and "Далёкие" not in text  # the crowd, never one of them
    html, png = _html(ru)
    assert 'src="cid:chart"' in html and "Семья Ивановых" in html
    assert png.startswith(b"\x89PNG")
    en = smtp.letters_to("member@own.ru")[0]
    assert en["Subject"] == "Wattboard: Семья Ивановых — November 2026 report"
    assert "Used: 1,440 kWh" in smtp.body(en)

    again = send_monthly(services, SYSTEM, org, NOVEMBER, now=NOW)
    assert again.sent == [] and sorted(again.already) == ["member@own.ru", "owner@own.ru"]
    assert len(smtp.letters_to("owner@own.ru")) == 1  # once per reader and month


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_the_command_sends_it_now_and_says_who_has_it(services, smtp) -> None:
    seed(services)
    mail = {"WATTBOARD_SMTP_URL": smtp.url}
    first = cli(services, "reports", "monthly", "--org-inn", complete_inn("771100000"), "--month", "2026-11", env=mail)
    assert first.returncode == 0, first.stderr
    assert "2026-11: sent to owner@own.ru" in first.stdout and "2026-11: sent to member@own.ru" in first.stdout
    second = cli(services, "reports", "monthly", "--org-inn", complete_inn("771100000"), "--month", "2026-11", env=mail)
    assert "owner@own.ru already has it (--again to send it again)" in second.stdout
    assert len(smtp.letters_to("owner@own.ru")) == 1
    bad = cli(services, "reports", "monthly", "--org-inn", "7700000000", env=mail)
    assert bad.returncode != 0 and "no organization with INN 7700000000" in bad.stderr


def _report(best: bool) -> MonthlyReport:
    history = [(dt.date(2025 + (10 + i) // 12, (10 + i) % 12 + 1, 1), 900.0 + 30 * i) for i in range(13)]
    return MonthlyReport(
        1, "ООО «Пример»", NOVEMBER, 2, history[-1][1], 5230.5, history[-2][1], 5000.0, history[0][1], 4800.0,
        history, None if best else peers(history[-1][1], 2, [(v, 1) for v in PEER_KWH]),
        best_month(history, NOVEMBER) if best else None, None, [], "http://wattboard.test",
    )  # fmt: skip


def test_with_few_similar_organizations_the_letter_compares_with_the_own_best_month() -> None:
    letter = render(_report(best=True), "ru")
    assert "Похожих организаций в регионе пока меньше пяти" in letter.text
    assert "ноябрь 2025 — 900 кВт·ч" in letter.text and "Прогноза на текущий месяц пока нет." in letter.text


@pytest.mark.slow
def test_the_letter_reads_well_in_chromium(tmp_path) -> None:
    letter = render(_report(best=False), "ru")
    data = base64.b64encode(letter.images["chart"]).decode()
    page = tmp_path / "letter.html"
    page.write_text(letter.html.replace("cid:chart", f"data:image/png;base64,{data}"), encoding="utf-8")
    with chrome() as driver:
        driver.set_window_size(700, 1200)
        driver.get(page.as_uri())
        chart = driver.find_element("id", "report-chart")
        assert driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", chart) == 560
        assert chart.is_displayed() and chart.size["width"] == 560
        assert "ООО «Пример»" in driver.find_element("id", "report-title").text
        figures = driver.find_element("id", "report-figures").text
        assert "Израсходовано" in figures and "кВт·ч" in figures and "₽" in figures
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 700  # fits a phone-sized reading pane without a horizontal scroll
        assert driver.find_element("id", "report-open").get_attribute("href") == "http://wattboard.test/"


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_asked_for_on_the_overview_it_goes_through_the_workers_to_the_caller_only(services, smtp) -> None:
    from data.queue import queue
    from reports.monthly import due_organizations, month_label, request_letter
    from runtime.rq_runner import InlineWorker
    from workers import jobs

    org = seed(services)
    with services.db.session() as s:
        quiet = s.query(User).filter(User.email == "quiet@own.ru").one().id
    month = request_letter(services, Principal(quiet, "quiet@own.ru", "consumer", org), None)
    jobs.bind(services)
    InlineWorker([queue(services.redis, "delivery")], connection=services.redis).work(burst=True)
    letters = smtp.letters_to("quiet@own.ru")
    assert len(letters) == 1 and letters[0]["Subject"].endswith(f"— отчёт за {month_label(month, 'ru')}")
    assert smtp.letters_to("owner@own.ru") == []  # nobody else
    assert due_organizations(services, dt.datetime(2026, 12, 2, 6, tzinfo=dt.UTC)) == [org]
    assert due_organizations(services, dt.datetime(2026, 12, 20, 6, tzinfo=dt.UTC)) == []  # not mid-month
