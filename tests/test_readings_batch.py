import json

import pytest

from data.messaging.reading_batch import STATUS_RESET, BadBatch, encode_batch, parse_batch
from tests.helpers import epoch

T0 = epoch(2026, 3, 1)


def test_bad_records_are_rejected_with_a_reason_and_the_rest_kept() -> None:
    raw = encode_batch(
        "MP-1",
        "acme",
        "b1",
        5,
        1800,
        [
            [T0, 1.5, 0],
            [T0 + 1800, -2.0, 0],
            [T0 + 3600, "x", 0],  # type: ignore[list-item]  # malformed on purpose
            [12, 1.0, 0],
            [T0 + 5400, 2.5],
        ],
    )
    batch = parse_batch(raw)
    assert batch.rows == [(T0, 1.5, 0), (T0 + 5400, 2.5, 0)]
    reasons = [reason for _, reason in batch.rejected]
    assert reasons == [
        "negative consumption",
        "value is not a finite number",
        "timestamp is not epoch seconds between 2000 and 2100",
    ]


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (json.dumps({"readings": []}).encode(), "metering-point code"),
        (json.dumps({"meter": "M", "version": 1}).encode(), "'readings' list"),
        (json.dumps({"meter": "M", "readings": [], "version": -1}).encode(), "non-negative"),
        (json.dumps({"meter": "M", "readings": [], "version": 1, "interval_s": 0}).encode(), "interval_s"),
    ],
)
def test_unusable_messages_say_why(raw: bytes, reason: str) -> None:
    with pytest.raises(BadBatch, match=reason):
        parse_batch(raw)


def test_register_reset_becomes_a_flagged_interval_not_a_spike() -> None:
    registers = [[T0, 1000.0], [T0 + 1800, 1002.0], [T0 + 3600, 1005.0], [T0 + 5400, 1.5], [T0 + 7200, 3.0]]
    batch = parse_batch(encode_batch("MP-1", "acme", "b", 1, 1800, registers, kind="register"))
    values = [(ts, round(v, 3), status) for ts, v, status in batch.rows]
    assert values == [(T0 + 1800, 2.0, 0), (T0 + 3600, 3.0, 0), (T0 + 5400, 1.5, STATUS_RESET), (T0 + 7200, 1.5, 0)]
    assert max(v for _, v, _ in batch.rows) < 5


def test_a_columnar_batch_reads_as_its_json_twin_and_names_each_bad_reading() -> None:
    import numpy as np

    from data.messaging.reading_batch import COLUMNAR, BadBatch, encode_batch, encode_columnar

    ts = np.array([1_735_689_600, 1_735_691_400, 1_735_693_200])
    good = parse_batch(encode_columnar("M-1", "p", "b1", 3, 1800, ts, np.array([1.5, 2.0, 0.25]), np.zeros(3, "u1")))
    twin = parse_batch(
        encode_batch("M-1", "p", "b1", 3, 1800, [[int(t), v, 0] for t, v in zip(ts, [1.5, 2.0, 0.25], strict=True)])
    )
    assert good.rows == twin.rows and (good.meter, good.version, good.interval_s) == ("M-1", 3, 1800)
    bad = parse_batch(encode_columnar("M-1", "p", "b1", 3, 1800, ts, np.array([1.0, -2.0, np.nan]), np.zeros(3, "u1")))
    assert bad.rows == [(1_735_689_600, 1.0, 0)]
    assert [reason for _, reason in bad.rejected] == ["negative consumption", "value is not a finite number"]
    whole = encode_columnar("M-1", "p", "b1", 3, 1800, ts, np.ones(3), np.zeros(3, "u1"))
    with pytest.raises(BadBatch, match="does not match"):
        parse_batch(whole[:-5])  # truncated on the wire
    with pytest.raises(BadBatch, match="header is not JSON"):
        parse_batch(COLUMNAR + b"\x05\x00\x00\x00{nope")
