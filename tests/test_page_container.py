"""A page load brings the page with the shell: no round trip to the pages router before the page's own callbacks."""

from __future__ import annotations

from typing import Any

from auth.inn import complete_inn
from tests.dash_client import component
from tests.helpers import login, make_org, make_user


def test_the_shell_comes_with_the_page_of_the_address_being_loaded(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    session = login(live_app.url, "a@x.ru")

    def shell(referer: str | None) -> Any:
        headers = {"Referer": referer} if referer is not None else {}
        answer = session.get(f"{live_app.url}/_dash-layout", headers=headers, timeout=10)
        assert answer.status_code == 200
        return answer.json()

    loaded = shell(f"{live_app.url}/consumption?step=day&compare=previous")
    location = component(loaded, "_pages_location")
    assert location is not None and location["props"]["search"] == "?step=day&compare=previous"
    assert location["props"]["pathname"] == "/consumption"  # the router sees nothing to do
    assert component(loaded, "cons-archive") is not None  # the page is in the shell, with its address's state
    step = component(loaded, "cons-step")
    assert step is not None and step["props"]["value"] == "day"
    store = component(loaded, "_pages_store")
    assert store is not None and store["props"]["data"] == {"title": "Wattboard — потребление"}

    device = shell(f"{live_app.url}/devices/SN-1")  # a page with a variable in its path
    assert component(device, "device-info") is not None

    for unknown in (None, "http://elsewhere.example/consumption", f"{live_app.url}/no-such-page"):
        empty = component(shell(unknown), "_pages_content")
        assert empty is not None and not empty["props"].get("children")  # the router fills it, as before


def test_the_shell_comes_with_the_bell_rung_and_the_bell_asks_nothing_as_the_page_opens(services, live_app) -> None:
    from sqlalchemy import select

    from data.relational.models import Notification, User

    make_user(services.db, "a@x.ru", "admin")
    with services.db.session() as s:
        user_id = s.scalar(select(User.id).where(User.email == "a@x.ru"))
        for n in (1, 2):
            s.add(Notification(user_id=user_id, kind="device_offline", title=f"Прибор SN-{n} не на связи"))
    session = login(live_app.url, "a@x.ru")
    shell = session.get(f"{live_app.url}/_dash-layout", headers={"Referer": f"{live_app.url}/"}, timeout=10).json()
    count = component(shell, "bell-count")
    assert count is not None and count["props"]["children"] == "2" and "d-none" not in count["props"]["className"]
    assert "Прибор SN-2 не на связи" in str(component(shell, "bell"))
    callbacks = session.get(f"{live_app.url}/_dash-dependencies", timeout=10).json()
    bells = [c for c in callbacks if c["output"].startswith("..bell-count.children")]
    # It refreshes later: every few seconds, and as the reader marks messages read in the notification centre.
    assert len(bells) == 2 and all(c["prevent_initial_call"] for c in bells)


def test_the_forecast_and_tariff_pickers_come_set_with_their_page_and_ask_nothing_as_it_opens(
    services, live_app
) -> None:
    make_org(services.db, "770100000", "ООО «Прогноз»", ["P-1", "P-2"])
    make_user(services.db, "p@x.ru", "consumer", complete_inn("770100000"))
    session = login(live_app.url, "p@x.ru")

    def picker(address: str, picker_id: str = "fc-meter") -> dict:
        shell = session.get(f"{live_app.url}/_dash-layout", headers={"Referer": address}, timeout=10).json()
        found = component(shell, picker_id)
        assert found is not None
        return found["props"]

    whole = picker(f"{live_app.url}/forecast")  # no point in the address: the organization's total
    assert [o["value"] for o in whole["options"]] == ["P-1", "P-2"] and whole["value"] is None
    one = picker(f"{live_app.url}/forecast?meter=P-2")
    assert one["value"] == "P-2"
    stranger = picker(f"{live_app.url}/forecast?meter=Z-9")  # not theirs: kept, disabled, so the page says so
    assert stranger["value"] == "Z-9" and stranger["options"][-1] == {
        "label": "Z-9 — недоступна", "value": "Z-9", "disabled": True
    }
    # The tariff comparison's picker: the first point unless the address names one, each named with its pricing.
    tariffs = picker(f"{live_app.url}/recommendations", "rec-tariff-meter")
    assert tariffs["value"] == "P-1" and tariffs["options"][1]["label"].startswith("P-2 — ")
    assert "(" in tariffs["options"][1]["label"]  # how it is priced
    assert picker(f"{live_app.url}/recommendations?meter=P-2", "rec-tariff-meter")["value"] == "P-2"
    callbacks = session.get(f"{live_app.url}/_dash-dependencies", timeout=10).json()
    for output in ("..fc-meter.options", "..rec-tariff-meter.options"):
        (options,) = [c for c in callbacks if c["output"].startswith(output)]
        assert options["prevent_initial_call"]  # each answers a staff member's switch of organization only


def test_only_what_reads_the_address_follows_it(live_app) -> None:
    """A ``dcc.Location`` mirrors the browser's address, so a callback taking it as an input answers once more as the
    reader leaves its page by the menu (the overview's did: its whole answer again on every move away). Only those
    that read the address take it: the device page (its serial is in the path) and the staff's organization switch."""
    following = sorted(
        f"{i['id']}.{i['property']}"
        for spec in live_app.app.callback_map.values()
        for i in spec["inputs"]
        if i["property"] in ("pathname", "search", "href", "hash") and not str(i["id"]).startswith("_pages")
    )
    assert following == ["device-url.pathname", "shell-staff-url.pathname"]
