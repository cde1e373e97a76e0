"""The bell's refresh — every open page asks every few seconds — answers with nothing while nothing changed, and with
the new state the moment a message arrives or is read, in whichever process it was written."""

from __future__ import annotations

from sqlalchemy import select, update

from alerts.actions import mark_read, reading_zone
from auth.principal import Principal
from data.relational.models import Notification, User
from tests.dash_client import DashClient, component
from tests.helpers import login, make_user


def test_the_bell_refresh_sends_nothing_until_a_message_arrives_or_is_read(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    with services.db.session() as s:
        user_id = s.scalar(select(User.id).where(User.email == "a@x.ru"))
        s.add(Notification(user_id=user_id, kind="device_offline", title="Прибор SN-1 не на связи"))
    session = login(live_app.url, "a@x.ru")
    shell = session.get(f"{live_app.url}/_dash-layout", headers={"Referer": f"{live_app.url}/"}, timeout=10).json()
    seen = (component(shell, "bell-seen") or {})["props"]["data"]
    assert isinstance(seen, int)
    client = DashClient(live_app.app, live_app.url, session)

    def refresh(version: object) -> dict:
        return client.outputs(
            "bell-count.children",
            {"bell-tick.n_intervals": 3, "bell-seen.data": version},
            changed="bell-tick.n_intervals",
        )

    assert refresh(seen) == {}  # nothing new: an empty answer, the page keeps its bell
    with services.db.session() as s:  # an alert's message, written as the alert pipeline writes it
        s.add(Notification(user_id=user_id, kind="device_offline", title="Прибор SN-2 не на связи"))
    fresh = refresh(seen)
    assert fresh["bell-count.children"] == "2"
    assert "Прибор SN-2 не на связи" in str(fresh["bell.children"])
    assert fresh["bell-seen.data"] != seen
    assert refresh(fresh["bell-seen.data"]) == {}

    principal = Principal(user_id=user_id, email="a@x.ru", role="admin", organization_id=None)
    assert mark_read(services, principal) == 2
    read = refresh(fresh["bell-seen.data"])
    assert read["bell-count.children"] == "0" and "d-none" in read["bell-count.className"]
    assert refresh(None)["bell-count.children"] == "0"  # a page without a version gets the bell


def test_the_zone_a_reader_reads_times_in_follows_their_profile_at_once(services) -> None:
    make_user(services.db, "b@x.ru", "admin")
    with services.db.session() as s:
        user_id = s.scalar(select(User.id).where(User.email == "b@x.ru"))
    principal = Principal(user_id=user_id, email="b@x.ru", role="admin", organization_id=None)
    assert reading_zone(services, principal) == "Europe/Moscow"
    assert reading_zone(services, principal) == "Europe/Moscow"  # kept
    with services.db.session() as s:
        s.execute(update(User).where(User.id == user_id).values(timezone="Asia/Yekaterinburg"))
    assert reading_zone(services, principal) == "Asia/Yekaterinburg"
