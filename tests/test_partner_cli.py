"""The partner commands as an operator types them: create, import (twice), dead letters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from auth.inn import complete_inn
from data.clickhouse.readings import count_readings
from data.relational.audit import audit_events
from data.relational.meters import meter_by_code
from data.relational.models import Partner
from tests.helpers import make_org, wait_for
from tests.samples import xml80020

ROOT = Path(__file__).resolve().parent.parent


def cli(services, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command as an operator types it, on the test's stores (plus ``env``)."""
    extra, env = env or {}, {k: v for k, v in os.environ.items() if not k.startswith("WATTBOARD_")}
    env.update(
        {
            "WATTBOARD_HOME": str(services.settings.home),
            "WATTBOARD_DATABASE_URL": services.settings.relational_url,
            "WATTBOARD_REDIS_URL": services.redis_url,  # its changes move the counters the web's processes keep by
            "WATTBOARD_KAFKA_BOOTSTRAP": services.kafka_bootstrap,
            "WATTBOARD_TOPIC_PREFIX": services.topics.prefix,
            **extra,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "runtime.cli", *args], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_create_import_twice_and_list_dead_letters(services, running_consumer, tmp_path: Path) -> None:
    make_org(services.db, "776000000", "ООО «Консоль»", ["0707"])
    created = cli(
        services,
        "partners",
        "create",
        "ats-msk",
        "--format",
        "80020",
        "--units",
        "Wh",
        "--timezone",
        "Europe/Moscow",
        "--org-inn",
        complete_inn("776000000"),
    )
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("wbp_")
    with services.db.session() as s:
        stored = s.scalar(select(Partner.api_key_hash).where(Partner.slug == "ats-msk"))
    assert stored and key not in stored  # only a hash is kept
    created_events = [e for e in audit_events(services.db, "ats-msk") if e.action == "partner.create"]
    assert [e.actor.startswith("cli:") for e in created_events] == [True]  # the CLI leaves an audit record too
    assert created_events[0].details["organization_inn"] == complete_inn("776000000")

    file = tmp_path / "80020_0707.xml"
    file.write_bytes(
        xml80020(
            points={"0707": {"01": [("0000", "0030", "500"), ("0030", "0100", "700")], "03": [("0000", "0030", "9")]}}
        )
    )
    first = cli(services, "import", str(file), "--partner", "ats-msk")
    assert first.returncode == 0, first.stderr
    assert "3 records, 2 accepted, 1 rejected" in first.stdout
    assert "unknown meter '0707:03'" in first.stderr
    meter_id = meter_by_code(services.db, "0707").id
    wait_for(lambda: count_readings(services.store, [meter_id]) == 2)
    second = cli(services, "import", str(file), "--partner", "ats-msk")
    assert "2 accepted" in second.stdout
    letters = cli(services, "dlq", "list")
    assert letters.returncode == 0 and letters.stdout.count("unknown meter '0707:03'") == 2
    assert count_readings(services.store, [meter_id]) == 2

    wrong = cli(services, "partners", "create", "Bad Slug", "--format", "json")
    assert wrong.returncode == 2 and "slug must be" in wrong.stderr
    bad_zone = cli(services, "partners", "create", "zone-x", "--format", "json", "--timezone", "Mars/Olympus")
    assert bad_zone.returncode == 2 and "is not a time zone" in bad_zone.stderr
