"""Telegram's use cases, called by the profile page's callbacks, the CLI and the scheduled poll: each owns its check,
its write, its audit event and the Alertmanager re-sync a new or removed chat needs."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from alerts.actions import sync_alertmanager_soon
from auth.principal import Principal
from data.relational import alert_settings, audit, one_time_tokens
from data.relational import telegram as store
from data.services import Services
from telegram.botapi import BotApi, BotApiUnavailable
from telegram.linking import answer, code_in, deep_link, new_code

log = logging.getLogger(__name__)

PURPOSE = "telegram_link"
CODE_LIFETIME = dt.timedelta(minutes=30)


class TelegramNotConfigured(RuntimeError):
    """This installation has no bot (``WATTBOARD_TELEGRAM_BOT_TOKEN`` is unset)."""


@dataclass(frozen=True)
class LinkOffer:
    code: str
    expires_at: dt.datetime
    link: str | None  # https://t.me/<bot>?start=<code> when the bot's name is known
    bot_name: str | None


@dataclass(frozen=True)
class PollSummary:
    read: int = 0
    linked: int = 0
    refused: int = 0
    error: str | None = None


def configured(services: Services) -> bool:
    return services.settings.telegram_bot_token is not None


def bot(services: Services) -> BotApi | None:
    token = services.settings.telegram_bot_token
    return BotApi(services.settings.telegram_api_url, token.get_secret_value()) if token else None


def linked(services: Services, principal: Principal) -> bool:
    return store.chat_of(services.db, principal.user_id) is not None


def offer_link(services: Services, principal: Principal, now: dt.datetime | None = None) -> LinkOffer:
    """A new one-time code for the caller (earlier unused ones lapse), valid for half an hour."""
    if not configured(services):
        raise TelegramNotConfigured("Telegram is not set up on this installation")
    code = new_code()
    one_time_tokens.issue_token(
        services.db, PURPOSE, principal.email, CODE_LIFETIME, user_id=principal.user_id, token=code
    )
    audit.log(services, principal.email, "telegram.code_issued", principal.email)
    name = services.settings.telegram_bot_name
    return LinkOffer(code, (now or dt.datetime.now(dt.UTC)) + CODE_LIFETIME, deep_link(name, code), name)


def unlink(services: Services, principal: Principal) -> bool:
    """Forget the caller's chat; False when none was linked."""
    before = store.set_chat(services.db, principal.user_id, None)
    if before is None:
        return False
    audit.log(services, principal.email, "telegram.unlinked", principal.email)
    sync_alertmanager_soon(services)
    return True


def poll(services: Services) -> PollSummary:
    """Read what people sent the bot since the last poll: a valid code links that chat to the code's owner, anything
    else gets a short answer on how to link. Each update is handled once (the offset moves past it as it is done)."""
    api = bot(services)
    if api is None:
        return PollSummary()
    try:
        incoming = api.updates(store.update_offset(services.db))
    except BotApiUnavailable as exc:
        log.warning("telegram: %s", exc)
        return PollSummary(error=str(exc))
    read = linked_now = refused = 0
    for message in incoming:
        read += 1
        if message.chat_id:
            if _handle(services, api, message.chat_id, message.text, message.sender):
                linked_now += 1
            elif code_in(message.text):
                refused += 1
        store.set_update_offset(services.db, message.update_id + 1)
    if linked_now:
        sync_alertmanager_soon(services)
    return PollSummary(read, linked_now, refused)


def _handle(services: Services, api: BotApi, chat_id: int, text: str, sender: str) -> bool:
    code = code_in(text)
    grant = one_time_tokens.use_token(services.db, PURPOSE, code) if code else None
    person = alert_settings.person(services.db, grant.user_id) if grant and grant.user_id else None
    if person is None:
        if code:
            audit.log(services, f"telegram:{chat_id}", "telegram.link_refused", None, details={"from": sender})
        _reply(api, chat_id, answer("unknown" if code else "hello", "ru"))
        return False
    store.set_chat(services.db, person.id, chat_id)
    audit.log(services, person.email, "telegram.linked", person.email, details={"from": sender})
    profile = services.settings.base_url + "/profile"
    _reply(api, chat_id, answer("linked", person.language, email=person.email, link=profile))
    return True


def _reply(api: BotApi, chat_id: int, text: str) -> None:
    try:
        api.send(chat_id, text)
    except BotApiUnavailable as exc:  # the link stands; only the courtesy answer is lost
        log.warning("telegram: answer to a chat not sent: %s", exc)
