"""The API's OpenAPI 3.1 document: valid by a validator, served to anyone, readable as a page by a signed-in user,
and the contract requests generated from it (schemathesis, on a live app, signed in as a consumer of one
organization) are held to: no 500, no response outside the document, no data of another organization."""

from __future__ import annotations

import numpy as np
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from auth.inn import complete_inn
from data.clickhouse.readings import write_readings
from data.relational import tokens, users
from tests.conftest import RELATIONAL_BACKENDS
from tests.helpers import epoch, login, make_org, make_user
from tests.test_clickhouse_store import frame
from web.openapi import document

FOREIGN = ("Чужая", "Точка OTHER-1", "other-1")  # its name, its point's name, its point's code in any case


def test_the_document_is_valid_openapi_3_1_and_describes_every_api_route(live_app) -> None:
    doc = requests.get(f"{live_app.url}/api/v1/openapi.json", timeout=10).json()  # no sign-in needed
    validate(doc)
    assert doc["openapi"] == "3.1.0" and doc == document()
    rules = {
        rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}").replace("path:", "")
        for rule in live_app.app.server.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    internal = {"/alertmanager/webhook", "/openapi.json", "/{_unknown}"}
    assert rules - internal == set(doc["paths"]), rules ^ set(doc["paths"])


def test_the_reference_page_is_for_signed_in_users_and_reads_in_russian(services, live_app) -> None:
    assert requests.get(f"{live_app.url}/docs/api", timeout=10, allow_redirects=False).status_code == 302
    make_org(services.db, "771100000", "ООО «Своя»", ["OWN-1"])
    make_user(services.db, "me@own.ru", "consumer", complete_inn("771100000"))
    page = login(live_app.url, "me@own.ru").get(f"{live_app.url}/docs/api", timeout=10)
    assert page.status_code == 200
    assert "API Wattboard — справочник" in page.text and "/api/v1/meters/{code}/readings" in page.text
    assert "Показания точки" in page.text and "в строке запроса" in page.text


def seed(services) -> dict[str, str]:
    make_org(services.db, "771100000", "ООО «Своя»", ["OWN-1"])
    make_org(services.db, "771200000", "ООО «Чужая»", ["OTHER-1"])
    make_user(services.db, "me@own.ru", "consumer", complete_inn("771100000"))
    t0 = epoch(2026, 5, 4, 21, 0)
    values = list(np.round(np.random.default_rng(7).uniform(0.5, 3, 96), 4))
    write_readings(services.store, frame(1, t0, values, version=1))
    write_readings(services.store, frame(2, t0, [9.0] * 96, version=1))
    user = users.user_by_email(services.db, "me@own.ru")
    return {"Authorization": f"Bearer {tokens.issue_token(services.db, user.id)}"}


def no_foreign_data(ctx, response, case) -> None:
    """Nothing of the other organization in any answer to this consumer."""
    text = response.text if hasattr(response, "text") else response.content.decode("utf-8", "replace")
    if response.status_code >= 400:  # an error may repeat the code that was asked for, and nothing else
        text = text.replace(str((case.path_parameters or {}).get("code", "")), "")
    leaked = [word for word in FOREIGN if word.lower() in text.lower()]
    assert not leaked, f"{case.method} {case.formatted_path}: another organization's data in the answer: {leaked}"


CODES = st.sampled_from(["OWN-1", "OWN-1", "OTHER-1", "own-1", "other-1"])


@pytest.mark.slow
@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_requests_generated_from_the_document_find_no_500_no_answer_outside_it_and_no_other_tenant(
    services, live_app
) -> None:
    auth = seed(services)
    schema = schemathesis.openapi.from_dict(document())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    seen: dict[str, set[int]] = {}
    for operation in operations:

        @given(case=operation.as_strategy(), code=CODES, use_known=st.booleans())
        @settings(
            max_examples=40,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case, code, use_known) -> None:
            if use_known and case.path_parameters and "code" in case.path_parameters:
                case.path_parameters["code"] = code  # real codes too, not only random ones: ours and another's
            response = case.call(base_url=f"{live_app.url}/api/v1", headers=auth, timeout=30)
            case.validate_response(response, checks=checks, additional_checks=[no_foreign_data])
            seen.setdefault(case.operation.label, set()).add(response.status_code)

        run()
    print({label: sorted(statuses) for label, statuses in seen.items()})
    readings = "GET /meters/{code}/readings"
    assert {200, 404} <= seen[readings]  # the fuzz reached our data, and was refused another's
    assert any(400 in statuses for statuses in seen.values())  # and bad parameters got their reasons
