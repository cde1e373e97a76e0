"""Account letters (verification results, password resets, invitations) over SMTP, or into an outbox folder.

``WATTBOARD_SMTP_URL=smtp://user:password@host:587`` sends through that server (STARTTLS when it offers it);
``smtps://…:465`` uses TLS from the start. Without it, embedded mode writes each letter to
``<home>/outbox/*.eml``, so a demo can follow a reset link without a mail server.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlparse

from config import Settings

log = logging.getLogger(__name__)


class MailUnavailable(RuntimeError):
    """The mail server could not take the letter."""


def send(
    settings: Settings,
    to: str,
    subject: str,
    body: str,
    html: str | None = None,
    images: dict[str, bytes] | None = None,
) -> None:
    """A letter with ``body`` as its plain-text part and, when given, ``html`` as its alternative, the PNG
    ``images`` inline beside it (``<img src="cid:NAME">`` in the HTML for each NAME: no external image host)."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
        html_part = message.get_body(("html",))  # the part just added
        for name, png in (images or {}).items():
            if html_part is not None:
                html_part.add_related(png, maintype="image", subtype="png", cid=f"<{name}>", filename=f"{name}.png")
    if settings.smtp_url is None:
        path = _outbox(settings.home, to)
        path.write_bytes(bytes(message))
        log.info("letter to %s written to %s (no WATTBOARD_SMTP_URL)", to, path)
        return
    url = urlparse(settings.smtp_url.get_secret_value())
    try:
        smtp_class = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
        with smtp_class(
            url.hostname or "localhost", url.port or (465 if url.scheme == "smtps" else 25), timeout=10
        ) as smtp:
            if url.scheme == "smtp":
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls()
                    smtp.ehlo()
            if url.username:
                smtp.login(unquote(url.username), unquote(url.password or ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailUnavailable(f"the mail server {url.hostname}:{url.port} did not take the letter: {exc}") from None


def _outbox(home: Path, to: str) -> Path:
    folder = home / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return folder / f"{stamp}-{re.sub(r'[^A-Za-z0-9@._-]', '_', to)}.eml"
