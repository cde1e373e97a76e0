"""Every way in, fuzzed (issue 16), on the real broker, consumer and stores. One invariant: whatever garbage comes
first, each bad record is answered or dead-lettered with its reason, no request answers 500, and a sound reading
pushed after it is queryable within seconds."""

from __future__ import annotations

import json
import os

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auth.inn import complete_inn
from data.clickhouse.readings import count_readings
from data.messaging.device_report import BadReport, check_report
from data.messaging.reading_batch import encode_batch
from data.relational.meters import meter_by_code
from data.relational.models import Device
from partners import admin
from partners.dead_letters import read_letters
from tests.conftest import RELATIONAL_BACKENDS
from tests.helpers import epoch, make_org, wait_for

pytestmark = pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
RANDOM = os.environ.get("WATTBOARD_FUZZ_RANDOM") == "1"
ROUTE_FUZZ = settings(
    max_examples=300 if RANDOM else 40,
    derandomize=not RANDOM,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
T0 = epoch(2026, 11, 25)
JSON_OPTIONS = {"records_path": "items", "meter_path": "m", "ts_path": "t", "value_path": "v", "ts_format": "epoch"}
CSV_OPTIONS = {"meter_column": "m", "ts_column": "t", "value_column": "v", "ts_format": "iso"}
FORMATS = {"json": JSON_OPTIONS, "csv": CSV_OPTIONS, "80020": {}, "espi": {}}  # every parser behind a push route
junk = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(str.encode),
    st.recursive(
        st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=12,
    ).map(lambda value: json.dumps(value).encode()),
    st.lists(
        st.fixed_dictionaries(
            {"device": st.sampled_from(["SN-FZ-1", "SN-NOPE", "=cmd|x", ""]), "ts": st.integers(-1, 2**45)},
            optional={"battery": st.floats(-10, 200), "error_code": st.text(max_size=45), "online": st.integers(-1, 3)},
        ),
        max_size=4,
    ).map(lambda reports: json.dumps(reports).encode()),
)


@pytest.fixture
def partners(services):
    make_org(services.db, "776300000", "ООО «Фазз»", ["FZ-1", "0777"])
    with services.db.session() as s:
        s.add(Device(serial="SN-FZ-1", model="M", metering_point_id=meter_by_code(services.db, "FZ-1").id))
    keys = {}
    for fmt, options in FORMATS.items():
        config = {"format": fmt, "format_options": options, "timezone": "UTC",
                  "organization_inn": complete_inn("776300000"), "meter_map": {"1": "FZ-1"}}
        keys[fmt] = admin.create(services.db, services.settings, f"fz-{fmt}", fmt, config)[1]
    return keys


def test_garbage_on_every_route_is_answered_and_a_sound_reading_after_it_lands(
    services, live_app, running_consumer, partners
) -> None:
    routes = [(fmt, kind) for fmt in FORMATS for kind in ("readings", "devices")]

    @ROUTE_FUZZ
    @given(route=st.sampled_from(routes), body=junk)
    def push(route: tuple[str, str], body: bytes) -> None:
        fmt, kind = route
        url = f"{live_app.url}/api/v1/ingest/fz-{fmt}" + ("/devices" if kind == "devices" else "")
        answer = requests.post(url, data=body, headers={"Authorization": f"Bearer {partners[fmt]}"}, timeout=30)
        assert answer.status_code in (202, 400, 422), (answer.status_code, answer.text[:300])
        said = answer.json()
        if answer.status_code == 202:
            assert said["records"] == said["accepted"] + said["rejected"] + said["held"] + said["duplicates"]
            assert all(error["reason"] for error in said["errors"])
        else:
            assert said["error"]

    push()
    point = meter_by_code(services.db, "FZ-1").id
    before = count_readings(services.store, [point])
    body = json.dumps({"items": [{"m": "FZ-1", "t": T0 + 47 * 1800, "v": 2.5}]}).encode()
    sound = requests.post(
        f"{live_app.url}/api/v1/ingest/fz-json", data=body, headers={"Authorization": f"Bearer {partners['json']}"}
    )
    assert sound.json()["accepted"] == 1
    wait_for(lambda: count_readings(services.store, [point]) > before, timeout=15)


def test_garbage_on_the_topics_becomes_dead_letters_and_holds_back_nothing(
    services, running_consumer, partners
) -> None:
    """As from a producer that skipped the door: every message on the topics the consumer reads is stored or set
    aside with its reason, and a sound reading behind the garbage lands."""
    sent: list[tuple[str, bytes]] = []

    @ROUTE_FUZZ
    @given(topic=st.sampled_from([services.topics.readings, services.topics.device_state]), body=junk)
    def publish(topic: str, body: bytes) -> None:
        services.producer.send(topic, key=b"fz", value=body)
        sent.append((topic, body))

    publish()
    services.producer.flush(10)
    services.producer.send(
        services.topics.readings, key=b"fz", value=encode_batch("FZ-1", "fz", "after", 1, 1800, [[T0 + 1800, 3.0, 0]])
    )
    services.producer.flush(10)
    point = meter_by_code(services.db, "FZ-1").id
    wait_for(lambda: count_readings(services.store, [point]) == 1, timeout=20)

    def sound_report(topic: str, body: bytes) -> bool:
        if topic != services.topics.device_state:
            return False
        try:
            return check_report(json.loads(body), "").device == "SN-FZ-1"
        except (BadReport, ValueError, UnicodeDecodeError):
            return False

    expected = sum(1 for topic, body in sent if not sound_report(topic, body))
    letters = wait_for(
        lambda: (found := [letter for _, letter in read_letters(services) if letter.get("topic")])
        and len({(x["topic"], x["partition"], x["offset"]) for x in found if x.get("record") is None}) >= expected
        and found,
        timeout=30,
    )
    assert all(letter["reason"] for letter in letters)
