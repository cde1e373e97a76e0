"""Which points the warming job computes first, and the instants a page's opening days stand for (fast, no stores)."""

from __future__ import annotations

import datetime as dt

from analytics.series import opening_days, span_of
from data.relational.meters import MeterInfo
from warming.points import first_points_first


def _point(id_: int, org: int) -> MeterInfo:
    return MeterInfo(id_, f"P-{id_}", "Цех", org, "О", "Asia/Yekaterinburg", "single", None, 5 * 3600)


def test_every_organization_s_first_point_is_warmed_before_anyone_s_second() -> None:
    alfa = [_point(1, 1), _point(2, 1), _point(3, 1)]
    beta = [_point(7, 2)]
    everyone = [*alfa, *beta]  # the administrators' picker
    order = [m.id for m in first_points_first([alfa, beta, everyone])]
    assert order == [1, 7, 2, 3]  # the point each page opens on first, and every point once


def test_a_page_opens_on_whole_local_days_up_to_today() -> None:
    today = dt.date(2026, 12, 31)
    assert opening_days("consumption", today) == ("2026-12-25", "2026-12-31")
    assert opening_days("analysis", today) == ("2026-10-03", "2026-12-31")
    assert opening_days("tariffs", today) == ("2025-12-01", "2026-12-31")  # from the first of a month a year before
    start, end = span_of(*opening_days("consumption", today), 5 * 3600)  # Yekaterinburg: UTC+5
    assert (start, end) == (dt.datetime(2026, 12, 24, 19, tzinfo=dt.UTC), dt.datetime(2026, 12, 31, 19, tzinfo=dt.UTC))
    assert span_of("2026-12-25T00:00:00+05:00", "2026-12-26T00:00:00+05:00", 5 * 3600)[1] == dt.datetime(
        2026, 12, 25, 19, tzinfo=dt.UTC
    )  # instants are taken as they are, the end exclusive
