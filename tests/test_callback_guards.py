"""Every Dash callback the app registers is guarded on the server: by login, by role and by tenant.

The callbacks come from the app's own callback map, so a new callback without a guard fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.dash_client import DashClient
from tests.helpers import login, make_user
from tests.pages_world import World, seed

# What must never reach a consumer of organization B: organization A's names, points, devices, people.
SECRETS_OF_A = ("Альфа", "Цех A-", "SN-A1", "SN-A2", "E42", "a@alfa.ru", "81 %", "A-2: ")


@pytest.fixture
def world(services) -> World:
    return seed(services)


def guard_of(function):
    while function is not None:
        if getattr(function, "wattboard_guarded", False):
            return function
        function = getattr(function, "__wrapped__", None)
    return None


def ours(app) -> list[str]:
    """Every callback but Dash's own page router, which serves layouts (the login check covers it)."""
    return [key for key in app.callback_map if "_pages_" not in key]


def callbacks(app) -> list[tuple[str, Any]]:
    return [(key, guard_of(app.callback_map[key].get("callback"))) for key in ours(app)]


def pointing_at_a(world: World) -> dict[str, object]:
    """Inputs that name organization A's objects, as someone editing URLs and requests would send them."""
    start, end = (world.first_day.isoformat(), world.today.isoformat())
    return {
        "cons-meter.value": ["A-1"],
        "ana-meter.value": ["A-2"],
        "org-switch.value": world.org_ids["A"],
        "cons-url.search": "?meter=A-1",
        "ana-url.search": "?meter=A-2",
        "cons-url.pathname": "/consumption",
        "ana-url.pathname": "/analysis",
        "device-url.pathname": "/devices/SN-A2",
        "dev-filter.value": "all",
        "cons-range.start_date": start,
        "cons-range.end_date": end,
        "ana-range.start_date": start,
        "ana-range.end_date": end,
        "cons-step.value": "day",
        "cons-compare.value": ["previous"],
        "adm-user-search.value": "alfa",
        "adm-org-search.value": "Альфа",
        "adm-audit-search.value": "alfa",
        "org-invite-email.value": "spy@beta.ru",
        "fc-meter.value": "A-1",
        "fc-meter.search_value": "A-",  # typing the other organization's codes in the points' pickers
        "cons-meter.search_value": "A-",
        "ana-meter.search_value": "A-",
        "rec-tariff-meter.search_value": "A-",
        "fc-url.search": "?meter=A-1",
        "rec-url.search": "?meter=A-1",
        "rec-filter.value": "open",
        "rec-tariff-meter.value": "A-1",
        "rec-tariff-range.start_date": start,
        "rec-tariff-range.end_date": end,
        "tar-point.value": "A-1",
        "tar-point-region.value": "Москва",
        "org-budget-amount.value": 1000,
        "org-budget-unit.value": "rub",
    }


def test_every_callback_carries_a_guard(services) -> None:
    from web import create_app

    app = create_app(services.settings, services)
    unguarded = [key for key, guard in callbacks(app) if guard is None]
    assert len(app.callback_map) >= 20 and unguarded == []


def test_anonymous_callers_get_nothing(services, live_app) -> None:
    for key in live_app.app.callback_map:
        response = requests.post(
            f"{live_app.url}/_dash-update-component",
            json={"output": key, "outputs": [], "inputs": [], "changedPropIds": []},
            timeout=10,
        )
        assert response.status_code == 401, key


def test_staff_callbacks_refuse_consumers_and_admin_actions_refuse_operators(services, live_app, world) -> None:
    make_user(services.db, "ops@w.ru", "operator")
    consumer = DashClient(live_app.app, live_app.url, login(live_app.url, "b@beta.ru"))
    operator = DashClient(live_app.app, live_app.url, login(live_app.url, "ops@w.ru"))
    guarded = [(key, guard) for key, guard in callbacks(live_app.app) if guard.wattboard_roles]
    assert sum("consumer" not in guard.wattboard_roles for _, guard in guarded) >= 5
    # A role-bound callback answers nobody outside its roles: staff pages refuse consumers, an organization's own
    # actions (a first point, a reading by hand) refuse operators.
    assert sum("operator" not in guard.wattboard_roles for _, guard in guarded) >= 5
    for key, guard in guarded:
        output = key.strip(".").split("...")[0]
        if "consumer" not in guard.wattboard_roles:
            assert consumer.call(output, {}).status_code == 204, key
        if "operator" not in guard.wattboard_roles:
            assert operator.call(output, {}).status_code == 204, key


def test_a_consumer_of_another_organization_learns_nothing_from_any_callback(services, live_app, world) -> None:
    from advice.service import recommendations, refresh
    from auth.principal import Principal

    refresh(services, world.org_ids["A"])  # organization A has advice ("A-2: перейти на …") to leak
    assert recommendations(services, Principal(0, "a@alfa.ru", "consumer", world.org_ids["A"]))
    spy = DashClient(live_app.app, live_app.url, login(live_app.url, "b@beta.ru"))
    values = pointing_at_a(world)
    for key in ours(live_app.app):
        output = key.strip(".").split("...")[0]
        inputs = [i for i in live_app.app.callback_map[key]["inputs"] if not i["id"].startswith("{")]
        for changed in [i["id"] + "." + i["property"] for i in inputs]:
            response = spy.call(output, values, changed)
            assert response.status_code in (200, 204), (key, response.status_code, response.text[:300])
            leaked = [s for s in SECRETS_OF_A if s in response.text]
            assert not leaked, (key, leaked)


def test_every_callback_is_a_module_level_function_importable_by_name(services) -> None:
    """No closures inside a registration function: each callback can be imported and tested on its own (the
    metering-point pickers' callbacks, declared once per picker, come from one module: dashboard.pickers)."""
    import importlib
    import inspect

    from web import create_app

    app = create_app(services.settings, services)
    inner = [inspect.unwrap(entry["callback"]) for entry in app.callback_map.values()]
    closures = [f"{f.__module__}.{f.__qualname__}" for f in inner if "<locals>" in f.__qualname__]
    assert closures and all(c.startswith("dashboard.pickers.register_") for c in closures), closures
    named = [f for f in inner if "<locals>" not in f.__qualname__]
    assert len(named) >= 40
    for function in named:
        exported = getattr(importlib.import_module(function.__module__), function.__name__)
        assert inspect.unwrap(exported) is function  # the module's name is the guarded callback itself
