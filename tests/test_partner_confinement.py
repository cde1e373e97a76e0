"""A partner writes only where it is allowed: its mapped and bound metering points and those of the organization it
serves. Anything else is refused per record, with the reason, to the dead-letter topic — never written (issue 10)."""

from __future__ import annotations

import json

import requests

from auth.inn import complete_inn
from data.clickhouse.readings import count_readings, readings_frame, write_readings
from data.relational import partners as partners_repo
from data.relational.meters import meter_by_code
from data.relational.models import Partner
from partners import admin
from partners.dead_letters import read_letters
from partners.ingest import ingest_payload
from tests.helpers import epoch, make_org, wait_for
from tests.samples import xml80020

T0 = epoch(2026, 1, 20)
JSON_OPTIONS = {"records_path": "items", "meter_path": "m", "ts_path": "t", "value_path": "v", "ts_format": "epoch"}


def test_a_partner_without_map_or_organization_cannot_write_into_an_organizations_history(
    services, running_consumer
) -> None:
    """The 80020 case from the issue: 1,250 kWh into the office's point from a partner bound to nothing."""
    make_org(services.db, "773700000", "ООО «Офис»", ["0202"])
    partner, _ = admin.create(
        services.db, services.settings, "stranger", "Чужой", {"format": "80020", "timezone": "Europe/Moscow"}
    )
    payload = xml80020(points={"0202": {"01": [("0000", "0030", "1250000")]}})
    report = ingest_payload(services, partner, payload, "import", file_name="80020_attack.xml")
    assert (report.records, report.accepted) == (1, 0)
    assert "not served by this partner" in report.rejected[0]["reason"]
    letters = [letter for _, letter in read_letters(services) if letter.get("partner") == "stranger"]
    assert letters and "not served by this partner" in letters[0]["reason"]
    assert count_readings(services.store, [meter_by_code(services.db, "0202").id]) == 0


def test_another_partners_key_cannot_overwrite_a_point_it_does_not_serve(services, live_app, running_consumer) -> None:
    make_org(services.db, "773800000", "ООО «Альфа-офис»", ["AO-1"])
    make_org(services.db, "773900000", "ООО «Бета-офис»", ["BO-1"])
    config = {"format": "json", "format_options": JSON_OPTIONS, "timezone": "UTC"}
    _, key_b = admin.create(
        services.db, services.settings, "beta-feed", "Бета", {**config, "organization_inn": complete_inn("773900000")}
    )
    body = {"items": [{"m": "AO-1", "t": T0, "v": 99.0}, {"m": "BO-1", "t": T0, "v": 1.5}]}
    answer = requests.post(
        f"{live_app.url}/api/v1/ingest/beta-feed",
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {key_b}"},
        timeout=30,
    )
    report = answer.json()
    assert (report["records"], report["accepted"], report["rejected"]) == (2, 1, 1)  # the answer tells the truth
    assert report["errors"][0]["record"]["meter"] == "AO-1" and "not served" in report["errors"][0]["reason"]
    wait_for(lambda: count_readings(services.store, [meter_by_code(services.db, "BO-1").id]) == 1)
    assert count_readings(services.store, [meter_by_code(services.db, "AO-1").id]) == 0
    # An administrator may bind a point of another organization explicitly, through the map.
    admin.update_config(
        services.db,
        "beta-feed",
        {**config, "organization_inn": complete_inn("773900000"), "meter_map": {"ALPHA-EXT": "AO-1"}},
    )
    mapped = {"items": [{"m": "ALPHA-EXT", "t": T0, "v": 2.0}]}
    again = requests.post(
        f"{live_app.url}/api/v1/ingest/beta-feed",
        data=json.dumps(mapped),
        headers={"Authorization": f"Bearer {key_b}"},
        timeout=30,
    )
    assert again.json()["accepted"] == 1
    wait_for(lambda: count_readings(services.store, [meter_by_code(services.db, "AO-1").id]) == 1)


def test_partners_from_before_confinement_keep_the_points_they_delivered(services) -> None:
    make_org(services.db, "774000000", "ООО «Старое»", ["OLD-1", "OLD-2"])
    partner, _ = admin.create(services.db, services.settings, "veteran", "Ветеран", {"format": "80020"})
    with services.db.session() as s:  # as an older version stored it: no "meters" in the configuration
        row = s.query(Partner).filter_by(slug="veteran").one()
        row.config = {k: v for k, v in row.config.items() if k != "meters"}
    old = meter_by_code(services.db, "OLD-1")
    write_readings(
        services.store,
        readings_frame(
            {
                "meter_id": [old.id],
                "ts": [T0],
                "value": [1.0],
                "interval_s": [1800],
                "status": [0],
                "version": [1],
                "utc_offset": [10800],
                "partner": ["veteran"],
                "batch_id": ["old"],
            }
        ),
    )
    assert admin.bind_delivered_points(services) == {"veteran": 1}
    assert admin.bind_delivered_points(services) == {}  # once
    bound = partners_repo.partner_by_slug(services.db, "veteran")
    assert bound is not None and bound.config["meters"] == ["OLD-1"]
    payload = xml80020(points={"OLD-1": {"01": [("0100", "0130", "500")]}, "OLD-2": {"01": [("0100", "0130", "500")]}})
    report = ingest_payload(services, bound, payload, "import", file_name="80020_old.xml")
    assert report.accepted == 1 and "not served" in report.rejected[0]["reason"]  # OLD-2 it never delivered


def test_a_push_over_the_partners_size_limit_is_refused_before_it_is_read(services, live_app) -> None:
    make_org(services.db, "774100000", "ООО «Объём»", ["SZ-1"])
    config = {"format": "json", "format_options": JSON_OPTIONS, "timezone": "UTC", "max_push_mb": 1}
    _, key = admin.create(
        services.db, services.settings, "bulky", "Объём", {**config, "organization_inn": complete_inn("774100000")}
    )
    url, auth = f"{live_app.url}/api/v1/ingest/bulky", {"Authorization": f"Bearer {key}"}
    big = json.dumps({"items": [{"m": "SZ-1", "t": T0 + i * 1800, "v": 1.0} for i in range(40_000)]}).encode()
    assert len(big) > 1024 * 1024
    refused = requests.post(url, data=big, headers=auth, timeout=30)
    assert refused.status_code == 413 and "1 MB" in refused.json()["error"]
    chunked = requests.post(url, data=iter([big[i : i + 65536] for i in range(0, len(big), 65536)]), headers=auth)
    assert chunked.status_code == 413  # no Content-Length: counted while reading, stopped at the limit
    small = json.dumps({"items": [{"m": "SZ-1", "t": T0, "v": 1.0}]})
    assert requests.post(url, data=small, headers=auth, timeout=30).status_code == 202


def test_partners_from_before_device_confinement_keep_the_devices_they_reported(services) -> None:
    import pandas as pd

    from data.relational.models import Device

    make_org(services.db, "774200000", "ООО «Счётчики»", ["DEV-1", "DEV-2"])
    with services.db.session() as s:
        for code in ("DEV-1", "DEV-2"):
            s.add(Device(serial=f"SN-{code}", model="M", metering_point_id=meter_by_code(services.db, code).id))
    admin.create(services.db, services.settings, "old-devices", "Старый", {"format": "json"})
    with services.db.session() as s:  # as an older version stored it: no "devices" in the configuration
        row = s.query(Partner).filter_by(slug="old-devices").one()
        row.config = {k: v for k, v in row.config.items() if k != "devices"}
        reported = s.query(Device).filter_by(serial="SN-DEV-2").one().id
    frame = pd.DataFrame(
        {"device_id": [reported], "ts": [T0], "online": [1], "battery": [50.0], "signal": [-70.0], "error_code": [""],
         "tamper": [0], "partner": ["old-devices"]}
    ).astype({"device_id": "uint32", "ts": "uint32", "online": "uint8", "battery": "float32", "signal": "float32",
              "tamper": "uint8"})
    services.store.insert_df("device_status", frame)
    assert admin.bind_reported_devices(services) == {"old-devices": 1}
    assert admin.bind_reported_devices(services) == {}  # once
    assert partners_repo.partner_by_slug(services.db, "old-devices").config["devices"] == ["SN-DEV-2"]
