"""Telegram through the installation's bot: a user links a chat by sending the bot the one-time code from the
profile page, and alerts reach that chat through the real Alertmanager's ``telegram_configs`` — in the reader's
language, with the zone named and the link — against a local server speaking the Bot API, including an outage of
that server (the message arrives once when it is back)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from alerts import am_config, delivery, lifecycle
from alerts.actions import profile, save_profile
from alerts.events import firing, resolved
from auth.principal import Principal
from data.relational import audit
from data.relational.alert_settings import Preference
from telegram import actions as telegram
from telegram.linking import code_in, new_code
from tests.alert_world import Alerting, AlertWorld, pump, report, seed
from tests.browser import chrome, click, sign_in, text_of
from tests.conftest import RELATIONAL_BACKENDS
from tests.helpers import PASSWORD, wait_for
from tests.telegram_server import TOKEN, TelegramServer

CHAT = 777001


def test_a_code_is_found_however_it_is_sent() -> None:
    code = new_code()
    assert len(code) == 8 and code_in(f"/start {code}") == code
    assert code_in(f"  {code.lower()} ") == code
    assert code_in(f"{code[:4]}-{code[4:]}") == code  # typed in two halves
    assert code_in("привет") is None and code_in("/start") is None
    assert code_in(f"/start {code}XYZ") is None  # not a code of ours


@pytest.fixture
def bot_api() -> Iterator[TelegramServer]:
    server = TelegramServer()
    yield server
    server.stop()


@pytest.fixture
def world(services, bot_api) -> AlertWorld:
    services.settings = services.settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_url": bot_api.url,
            "telegram_bot_name": "wattboard_test_bot",
            "alert_group_wait": "1s",
            "alert_group_interval": "1s",
            "alert_repeat_interval": "1h",
        }
    )
    return seed(services)


def owner(world: AlertWorld) -> Principal:
    return Principal(world.owner, "owner@a.ru", "consumer", world.org_a, is_owner=True)


def link(services, bot_api: TelegramServer, principal: Principal, chat: int = CHAT) -> None:
    offer = telegram.offer_link(services, principal)
    assert offer.link == f"https://t.me/wattboard_test_bot?start={offer.code}"
    bot_api.user_sends(chat, f"/start {offer.code}")
    assert telegram.poll(services).linked == 1


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_a_chat_is_linked_by_the_code_from_the_profile_and_only_once(services, world, bot_api) -> None:
    me = owner(world)
    assert not telegram.linked(services, me)
    offer = telegram.offer_link(services, me)
    bot_api.user_sends(CHAT, "привет")
    bot_api.user_sends(CHAT, "/start ABCDEFGH")  # a code nobody was given
    bot_api.user_sends(CHAT, f"/start {offer.code}")
    summary = telegram.poll(services)
    assert (summary.read, summary.linked, summary.refused) == (3, 1, 1)
    assert telegram.linked(services, me)
    answers = bot_api.messages_to(CHAT)
    assert "бот уведомлений Wattboard" in answers[0]
    assert "Код не найден или устарел" in answers[1]
    assert "Готово: уведомления Wattboard для owner@a.ru будут приходить в этот чат" in answers[2]
    assert "http://wattboard.test/profile" in answers[2]

    assert telegram.poll(services).read == 0  # each update is handled once
    bot_api.user_sends(CHAT + 1, f"/start {offer.code}")  # the same code again, from another chat
    assert telegram.poll(services).refused == 1
    assert "Код не найден" in bot_api.messages_to(CHAT + 1)[0]
    actions = [e.action for e in audit.audit_events(services.db, "owner@a.ru")]
    assert "telegram.linked" in actions and "telegram.code_issued" in actions

    config = am_config.render(services.settings, services, services.settings.home / "t.tmpl")
    receiver = next(r for r in config["receivers"] if r["name"] == f"telegram-user-{world.owner}")
    assert receiver["telegram_configs"][0]["chat_id"] == CHAT
    assert receiver["telegram_configs"][0]["api_url"] == bot_api.url
    assert not any(r["name"] == f"telegram-user-{world.member}" for r in config["receivers"])  # not linked

    assert telegram.unlink(services, me) and not telegram.linked(services, me)
    config = am_config.render(services.settings, services, services.settings.home / "t.tmpl")
    assert not any(r.get("telegram_configs") for r in config["receivers"])


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_an_expired_code_links_nothing(services, world, bot_api) -> None:
    offer = telegram.offer_link(services, owner(world))
    with services.db.session() as s:  # half an hour later
        s.execute(
            text("UPDATE one_time_tokens SET expires_at = :t WHERE purpose = 'telegram_link'"),
            {"t": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)},
        )
    bot_api.user_sends(CHAT, offer.code)
    assert telegram.poll(services).linked == 0 and not telegram.linked(services, owner(world))
    assert "Код не найден или устарел" in bot_api.messages_to(CHAT)[0]


@pytest.fixture
def alerting(services, world, bot_api, tmp_path) -> Iterator[Alerting]:
    link(services, bot_api, owner(world))
    matrix = [Preference(k, True, False, False, "warning", telegram=True) for k in ("device_offline", "device_error")]
    save_profile(services, owner(world), matrix, "Asia/Yekaterinburg", None, None)
    am = Alerting(services, tmp_path)
    am.start()
    yield am
    am.stop()


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_an_alert_and_its_end_reach_the_linked_chat_through_alertmanager(
    services, running_consumer, world, bot_api, alerting, smtp
) -> None:
    sent_before = len(bot_api.sent)  # the bot's «Готово»
    report(services, "SN-A1", online=False)

    def arrived(n: int) -> bool:
        pump(services)
        return len(bot_api.sent) - sent_before >= n

    wait_for(lambda: arrived(1), timeout=60)
    raw = bot_api.sent[sent_before]
    assert str(raw["chat_id"]) == str(CHAT) and raw.get("parse_mode") == "HTML"
    shown = bot_api.shown(raw["text"], "HTML")
    assert shown.startswith("Прибор SN-A1 не на связи\n")
    assert "не выходит на связь" in shown and "(Екатеринбург, UTC+5)" in shown
    assert "Открыть в Wattboard" in shown and 'href="http://wattboard.test/devices/SN-A1"' in raw["text"]
    assert smtp.letters_to("owner@a.ru") == []  # email switched off for these kinds

    report(services, "SN-A1", online=True)
    wait_for(lambda: arrived(2), timeout=60)
    assert "снова на связи" in bot_api.shown(bot_api.sent[sent_before + 1]["text"], "HTML")
    time.sleep(3)
    pump(services)
    assert len(bot_api.sent) - sent_before == 2  # once each


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_a_bot_api_outage_delays_the_message_and_it_arrives_once(services, world, bot_api, alerting) -> None:
    sent_before = len(bot_api.sent)
    bot_api.stop()
    lifecycle.apply(services, firing("device_offline", "SN-A1", "SN-A1", organization_id=world.org_a, meter="A-1"))
    assert delivery.deliver(services, dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))["posted"] == 1
    time.sleep(15)  # Alertmanager tries, fails and keeps the notification
    bot_api.start()
    wait_for(lambda: len(bot_api.sent) > sent_before, timeout=60)
    time.sleep(5)
    assert len(bot_api.sent) - sent_before == 1
    assert "Прибор SN-A1 не на связи" in bot_api.shown(bot_api.sent[-1]["text"], "HTML")
    lifecycle.apply(services, resolved("device_offline", "SN-A1", "SN-A1", organization_id=world.org_a))
    pump(services)
    wait_for(lambda: len(bot_api.sent) - sent_before == 2, timeout=30)


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_a_long_group_fits_one_telegram_message(services, world, bot_api, alerting) -> None:
    """Ten alerts of one kind at once, each with a long name: one message of at most 4,096 characters that Telegram
    accepts (valid HTML), naming three and counting the rest."""
    sent_before = len(bot_api.sent)
    for n in range(10):
        subject = (f"SN-{n:02d} " + "Очень длинное название прибора " * 7)[:199]
        lifecycle.apply(
            services, firing("device_offline", f"SN-X{n}", subject, organization_id=world.org_a, meter="A-1")
        )
    assert delivery.deliver(services, dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))["posted"] == 10
    wait_for(lambda: len(bot_api.sent) > sent_before, timeout=60)
    time.sleep(3)
    texts = [bot_api.shown(m["text"], "HTML") for m in bot_api.sent[sent_before:]]
    assert all(len(t) <= 4096 for t in texts)
    assert texts[0].count("Открыть в Wattboard") == 3 and texts[0].endswith("Всего уведомлений этого вида: 10")
    assert "…" in texts[0]  # the long names were cut, not the message


@pytest.mark.slow
@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_the_profile_page_links_a_chat_and_ticks_telegram(services, world, bot_api, live_app) -> None:
    with chrome() as driver:
        sign_in(driver, live_app.url, "owner@a.ru", PASSWORD)
        driver.get(f"{live_app.url}/profile")
        wait_for(lambda: "Telegram не подключён" in text_of(driver, "tg-status"), timeout=30)
        click(driver, "tg-link")
        wait_for(lambda: driver.find_elements("id", "tg-code-value"), timeout=20)
        code = text_of(driver, "tg-code-value")
        assert f"Отправьте боту @wattboard_test_bot сообщение с кодом {code}" in text_of(driver, "tg-code-text")
        assert "(Екатеринбург, UTC+5)" in text_of(driver, "tg-code-text")  # the zone of the organization's points
        opener = driver.find_element("link text", "Открыть бота с кодом")
        assert opener.get_attribute("href") == f"https://t.me/wattboard_test_bot?start={code}"

        bot_api.user_sends(CHAT, f"/start {code}")
        assert telegram.poll(services).linked == 1  # what the scheduled job does every five seconds
        driver.get(f"{live_app.url}/profile")
        wait_for(lambda: "Чат Telegram подключён" in text_of(driver, "tg-status"), timeout=30)
        box = driver.find_element(
            "xpath",
            "//*[@id='pref-table']//tr[td[normalize-space()='Прибор не на связи']]"
            "//label[normalize-space()='Telegram']",
        )
        driver.execute_script("arguments[0].click();", box)
        click(driver, "pref-save")
        wait_for(lambda: "Сохранено" in text_of(driver, "pref-result"), timeout=20)
        offline = next(p for p in profile(services, owner(world)).matrix if p.kind == "device_offline")
        assert offline.telegram and offline.bell

        click(driver, "tg-unlink")
        wait_for(lambda: "Telegram отключён" in text_of(driver, "tg-status"), timeout=20)
    assert not telegram.linked(services, owner(world))
