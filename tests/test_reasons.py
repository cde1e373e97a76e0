"""What a partner's refused record says on the pages: every reason the real parsers and normalization give, in
Russian, with the place and the value kept; English for an English reader and on the API."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from dashboard.reasons import reason_text
from partners.codes import not_served
from partners.config import PartnerConfig
from partners.formats import PARSERS, FormatError
from partners.formats.base import ParseResult, SourceReading
from partners.normalize import normalize
from tests.samples import xml80020

NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
ENGLISH = re.compile(r"\b(is|not|line|meter|timestamp|value|missing|unknown|does|match|number|fields|empty)\b")


def refused_by_parsers() -> list[str]:
    csv = (
        b"meter;ts;value\n"
        b"M1;15.01.2026 10:00;abc\n"  # not a number
        b"M1;31.02.2026 10:00;1,5\n"  # no such day
        b";15.01.2026 10:30;1,5\n"  # no meter
        b"M1;15.01.2026 11:00\n"  # a field short
    )
    records = [
        {"meter": "M1", "ts": "2026-01-15T10:00:00", "value": "много"},
        {"ts": "2026-01-15T10:00:00", "value": 1},
        {"meter": "M1", "value": 1},
        {"meter": "M1", "ts": 1700000000, "value": 1},
    ]
    periods = {"0101": {"01": [("0000", "0030", "1"), ("0100", "0030", "2"), ("0x00", "0130", "3")]}}
    reasons = [reason for _, reason in PARSERS["csv"].parse(csv, {}).rejected]
    reasons += [reason for _, reason in PARSERS["json"].parse(json.dumps(records).encode(), {}).rejected]
    reasons += [reason for _, reason in PARSERS["80020"].parse(xml80020(points=periods), {}).rejected]
    return reasons


def refused_by_normalization() -> list[str]:
    config = PartnerConfig(format="json", interval_s=1800)
    readings = [
        SourceReading(meter="M", ts=dt.datetime(2026, 1, 15, 10, 0), value=float("nan")),
        SourceReading(meter="M", ts=dt.datetime(2026, 6, 1, 10, 0), value=1.0),  # after NOW
        SourceReading(meter="M", ts=dt.datetime(2026, 1, 15, 10, 11), value=1.0),  # off the grid
        SourceReading(meter="M", ts=dt.datetime(2026, 1, 15, 11, 0), value=1.0),
        SourceReading(meter="M", ts=dt.datetime(2026, 1, 15, 11, 0), value=2.0),  # the same interval again
        SourceReading(meter="M", ts=dt.datetime(2026, 1, 15, 12, 0), value=10_000_000.0),
        SourceReading(meter="X-9", ts=dt.datetime(2026, 1, 15, 10, 0), value=1.0),
        SourceReading(meter="EKB-1", ts=dt.datetime(2026, 1, 15, 10, 0), value=1.0),
    ]
    refused = {
        "X-9": "unknown meter 'X-9': map it to a metering point or enable auto-create for this partner",
        "EKB-1": not_served("EKB-1"),
    }
    out = normalize(ParseResult(readings=readings), config, {"M": "M"}, {}, now=NOW, refused=refused)
    return [item["reason"] for item in out.rejected]


def test_every_reason_the_parsers_and_normalization_give_reads_in_russian() -> None:
    reasons = refused_by_parsers() + refused_by_normalization()
    assert len(reasons) >= 14, reasons
    for reason in reasons:
        worded = reason_text(reason, "ru")
        words = re.sub("«[^»]*»", "", worded)  # the quoted values are the partner's own
        assert re.search("[а-яё]", words) and not ENGLISH.search(words), (reason, worded)


def test_the_place_and_the_value_stay_and_a_pattern_never_swallows_the_unknown() -> None:
    assert reason_text("line 4: value 'abc' is not a number", "ru") == "строка 4: значение «abc» — не число"
    assert (
        reason_text("line 3: timestamp '31.02.2026 10:00' does not match %d.%m.%Y %H:%M", "ru")
        == "строка 3: время «31.02.2026 10:00» не в формате ДД.ММ.ГГГГ ЧЧ:ММ"
    )
    assert "«SPB-OF-099»" in reason_text(not_served("SPB-OF-099"), "ru")
    # A reason no pattern knows is shown as written; so is every reason to an English reader.
    assert reason_text("line 7: the partner's clock is on Mars", "ru") == "строка 7: the partner's clock is on Mars"
    assert reason_text("line 4: value 'abc' is not a number", "en") == "line 4: value 'abc' is not a number"


@pytest.mark.parametrize(
    ("fmt", "payload"),
    [
        ("json", b"{not json"),
        ("json", b'{"items": 1}'),
        ("csv", b"a;b\n1;2\n"),
        ("80020", b"<message><!DOCTYPE x></message>"),
        ("80020", b"<message>"),
    ],
)
def test_a_file_refused_whole_says_why_in_russian(fmt: str, payload: bytes) -> None:
    options = {"records_path": "records"} if fmt == "json" else {}
    with pytest.raises(FormatError) as refused:
        PARSERS[fmt].parse(payload, options)
    worded = reason_text(str(refused.value), "ru")
    assert re.search("[а-яё]", worded) and worded != str(refused.value), (str(refused.value), worded)
