"""The account letters. Their words are in ``i18n/strings_account.py`` (``letter.*``); a letter to someone who has an
account is in the language they chose (``users.language``), any other (a sign-up's confirmation, an invitation) in
the language of the page that sends it."""

from __future__ import annotations

from auth.mail import send
from config import Settings
from data.relational.models import User
from i18n import t


def _send(settings: Settings, to: str, name: str, lang: str | None, **params: object) -> None:
    words = {"base": settings.base_url, **params}
    subject, body = (t(f"letter.{name}.{part}", lang).format(**words) for part in ("subject", "body"))
    send(settings, to, subject, body)


def language_of(user: User | None) -> str | None:
    """The language an account chose; None (the sending page's) for an address without one."""
    return user.language if user is not None else None


def verification_result(settings: Settings, to: str, approved: bool, reason: str | None, lang: str | None) -> None:
    if approved:
        _send(settings, to, "approved", lang)
    else:
        _send(settings, to, "rejected", lang, reason=reason or "—")


def password_reset(settings: Settings, to: str, token: str, valid_minutes: int, lang: str | None) -> None:
    _send(settings, to, "reset", lang, token=token, minutes=valid_minutes)


def invitation(settings: Settings, to: str, token: str, organization: str, inviter: str, valid_days: int) -> None:
    _send(settings, to, "invite", None, token=token, organization=organization, inviter=inviter, days=valid_days)


def signup_confirmation(settings: Settings, to: str, token: str, valid_hours: int) -> None:
    _send(settings, to, "confirm", None, token=token, hours=valid_hours)


def signup_existing_account(settings: Settings, to: str, lang: str | None) -> None:
    _send(settings, to, "existing", lang)


def invitation_existing_account(settings: Settings, to: str, organization: str, inviter: str, lang: str | None) -> None:
    _send(settings, to, "invite_existing", lang, organization=organization, inviter=inviter)
