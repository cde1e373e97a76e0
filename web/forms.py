"""The frame of the server-rendered account pages (login, sign-up, password, invitation): one card, Bootstrap."""

from __future__ import annotations

from html import escape

from flask import request

from context import sessions
from i18n import current_language, t


def page(title: str, body: str, error: str | None = None, notice: str | None = None, wide: bool = False) -> str:
    """A whole HTML page around ``body`` (already escaped HTML); ``error``/``notice`` are plain text."""
    lang = current_language()
    other = "en" if lang == "ru" else "ru"
    here = escape(request.full_path.rstrip("?"), quote=True)
    alerts = ""
    if error:
        alerts += f'<div class="alert alert-danger" role="alert" id="form-error">{escape(error)}</div>'
    if notice:
        alerts += f'<div class="alert alert-success" role="status" id="form-notice">{escape(notice)}</div>'
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="stylesheet" href="/assets/vendor/bootstrap.min.css"><link rel="stylesheet" href="/assets/wattboard.css">
</head><body>
<div class="wb-login {"wb-login-wide" if wide else ""} card wb-card p-4">
  <div class="d-flex justify-content-between align-items-center mb-3">
    <h1 class="h4 m-0">⚡ {escape(title)}</h1>
    <form method="post" action="/lang/{other}" class="m-0">{csrf_field()}
      <input type="hidden" name="next" value="{here}">
      <button type="submit" class="btn btn-link btn-sm p-0" id="lang-link">{t("nav.language")}</button></form>
  </div>
  {alerts}
  {body}
</div></body></html>"""


def csrf_field() -> str:
    return f'<input type="hidden" name="csrf_token" value="{sessions.csrf_token()}">'


def field(name: str, label: str, value: str = "", kind: str = "text", problem: str | None = None, **attrs: str) -> str:
    extra = " ".join(f'{k.replace("_", "-")}="{escape(v, quote=True)}"' for k, v in attrs.items())
    invalid = " is-invalid" if problem else ""
    feedback = f'<div class="invalid-feedback" id="{name}-problem">{escape(problem)}</div>' if problem else ""
    return (
        f'<div class="mb-3"><label class="form-label" for="{name}">{escape(label)}</label>'
        f'<input class="form-control{invalid}" id="{name}" name="{name}" type="{kind}" '
        f'value="{escape(value, quote=True)}" {extra}>{feedback}</div>'
    )
