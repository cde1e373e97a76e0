"""Alertmanager's configuration, generated from Wattboard's users and organizations: a receiver per person (their
email), per person with a linked Telegram chat (the installation's bot, ``telegram_configs``) and per organization
with Slack (its webhook), routes by the ``recipient`` label Wattboard puts on every alert, grouping, repeats, and
the inhibition of a silent point's "no readings" by its device being offline.
Prometheus' own alerts (any other ``alertname``) go to the administrators by email and, through Wattboard's webhook,
into the staff's bell (``alerts.system``).

The file is JSON, which is YAML too; it is checked with ``amtool check-config`` before Alertmanager is asked to
reload it, and rewritten only when it changes. It holds secrets (SMTP password, the bot's token, Slack webhooks):
mode 0600.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from alerts import system
from alerts.alertmanager import Alertmanager
from alerts.kinds import ALERTNAME
from config import Settings
from data.relational import alert_settings
from data.services import Services
from security import secrets

log = logging.getLogger(__name__)

CONFIG_FILE = "alertmanager.yml"
TEMPLATE_FILE = "wattboard.tmpl"

TEMPLATES = """
{{ define "wattboard.subject" }}{{ (index .Alerts 0).Annotations.subject }}
{{- if gt (len .Alerts) 1 }}{{ (index .Alerts 0).Annotations.more }}{{ end }}{{ end }}
{{ define "wattboard.text" }}{{ range .Alerts }}{{ .Annotations.subject }}
{{ .Annotations.summary }}
{{ .Annotations.link }}

{{ end }}{{ end }}
{{ define "wattboard.html" }}<html><body style="font-family: sans-serif">
{{- range .Alerts }}<h3>{{ .Annotations.subject }}</h3>
<p>{{ .Annotations.summary }}</p>
<p><a href="{{ .Annotations.link }}">{{ .Annotations.link }}</a></p>
{{ end }}</body></html>{{ end }}
{{ define "wattboard.slack" }}{{ range .Alerts }}*{{ .Annotations.subject }}*
{{ .Annotations.summary }}
<{{ .Annotations.link }}>
{{ end }}{{ end }}
{{ define "wattboard.telegram" }}{{ range $i, $a := .Alerts }}{{ if lt $i 3 }}<b>{{ $a.Annotations.subject }}</b>
{{ $a.Annotations.summary }}
<a href="{{ $a.Annotations.link }}">{{ $a.Annotations.open }}</a>

{{ end }}{{ end }}
{{- if gt (len .Alerts) 3 }}{{ (index .Alerts 0).Annotations.total }} {{ len .Alerts }}{{ end }}{{ end }}
{{ define "wattboard.staff.subject" }}[Wattboard] {{ .Status }}: {{ .CommonLabels.alertname }}{{ end }}
"""


def render(settings: Settings, services: Services, template_path: Path) -> dict[str, Any]:
    """The configuration as a dict (written as JSON)."""
    people = alert_settings.everyone_with_email(services.db)
    slack = alert_settings.slack_webhooks(services.db)
    receivers: list[dict[str, Any]] = [{"name": "nobody"}]
    routes: list[dict[str, Any]] = []
    for person in people:
        receivers.append({"name": f"user-{person.id}", "email_configs": [_email(person.email)]})
        routes.append({"receiver": f"user-{person.id}", "matchers": [f'recipient="user-{person.id}"']})
    bot_token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    for person in people:
        if bot_token and person.telegram_chat_id is not None:
            name = f"telegram-user-{person.id}"
            telegram = _telegram(settings, bot_token, person.telegram_chat_id)
            receivers.append({"name": name, "telegram_configs": [telegram]})
            routes.append({"receiver": name, "matchers": [f'recipient="{name}"']})
    for org_id, encrypted in sorted(slack.items()):
        try:
            url = secrets.decrypt(settings, encrypted)
        except secrets.SecretUnavailable as exc:
            log.warning("organization %d's Slack webhook cannot be decrypted: %s", org_id, exc)
            continue
        receivers.append(
            {
                "name": f"slack-org-{org_id}",
                "slack_configs": [
                    {
                        "api_url": url,
                        "send_resolved": True,
                        "title": '{{ template "wattboard.subject" . }}',
                        "title_link": "{{ (index .Alerts 0).Annotations.link }}",
                        "text": '{{ template "wattboard.slack" . }}',
                    }
                ],
            }
        )
        routes.append({"receiver": f"slack-org-{org_id}", "matchers": [f'recipient="slack-org-{org_id}"']})
    admins = ", ".join(p.email for p in people if p.role == "admin")
    staff: dict[str, Any] = {
        "name": "staff",  # Prometheus' alerts: the staff's bell through Wattboard's webhook, and the admins' email
        "webhook_configs": [
            {
                "url": system.webhook_url(settings),
                "send_resolved": True,
                "http_config": {"authorization": {"type": "Bearer", "credentials": system.webhook_token(settings)}},
            }
        ],
    }
    if admins:
        staff["email_configs"] = [
            {"to": admins, "send_resolved": True, "headers": {"Subject": '{{ template "wattboard.staff.subject" . }}'}}
        ]
    receivers.append(staff)
    routes.append({"receiver": "staff", "matchers": [f'alertname!="{ALERTNAME}"']})
    return {
        "global": _smtp(settings),
        "templates": [str(template_path)],
        "route": {
            "receiver": "nobody",
            "group_by": ["recipient", "kind", "alertname"],
            "group_wait": settings.alert_group_wait,
            "group_interval": settings.alert_group_interval,
            "repeat_interval": settings.alert_repeat_interval,
            "routes": routes,
        },
        "receivers": receivers,
        "inhibit_rules": [
            {
                "source_matchers": ['kind="device_offline"'],
                "target_matchers": ['kind="no_readings"'],
                "equal": ["meter", "recipient"],
            }
        ],
    }


def _email(to: str) -> dict[str, Any]:
    return {
        "to": to,
        "send_resolved": True,
        "headers": {"Subject": '{{ template "wattboard.subject" . }}'},
        "html": '{{ template "wattboard.html" . }}',
        "text": '{{ template "wattboard.text" . }}',
    }


def _telegram(settings: Settings, token: str, chat_id: int) -> dict[str, Any]:
    """Up to three alerts of a group in one message (each annotation is cut to fit: Telegram takes 4,096 characters,
    and a message Alertmanager cut mid-tag would be refused), HTML escaped by Alertmanager's HTML templating."""
    return {
        "api_url": settings.telegram_api_url,
        "bot_token": token,
        "chat_id": chat_id,
        "parse_mode": "HTML",
        "send_resolved": True,
        "message": '{{ template "wattboard.telegram" . }}',
    }


def _smtp(settings: Settings) -> dict[str, Any]:
    """Alertmanager's mail settings from ``WATTBOARD_SMTP_URL``; smtps:// is TLS from the start (port 465), smtp://
    requires STARTTLS except on a loopback server (a local relay or the embedded outbox)."""
    sender = settings.mail_from
    url = urlparse(settings.smtp_url.get_secret_value()) if settings.smtp_url else None
    if url is None:
        return {"smtp_from": sender, "smtp_smarthost": "127.0.0.1:25", "smtp_require_tls": False}
    port = url.port or (465 if url.scheme == "smtps" else 25)
    loopback = url.hostname in ("127.0.0.1", "localhost", "::1")
    out: dict[str, Any] = {
        "smtp_from": sender,
        "smtp_smarthost": f"{url.hostname}:{port}",
        "smtp_require_tls": url.scheme == "smtp" and not loopback,
        "smtp_hello": "wattboard",
    }
    if url.username:
        out["smtp_auth_username"] = unquote(url.username)
        out["smtp_auth_password"] = unquote(url.password or "")
    return out


class ConfigInvalid(RuntimeError):
    """amtool refused the generated configuration; the message has its output."""


def write(settings: Settings, services: Services, directory: Path) -> tuple[Path, bool]:
    """Write the configuration and templates into ``directory`` if they changed (checked with amtool first);
    returns the configuration's path and whether it changed."""
    directory.mkdir(parents=True, exist_ok=True)
    template_path = directory / TEMPLATE_FILE
    text = json.dumps(render(settings, services, template_path), ensure_ascii=False, indent=1)
    config_path = directory / CONFIG_FILE
    digest = hashlib.sha256((text + TEMPLATES).encode()).hexdigest()
    stamp = directory / ".digest"
    if config_path.exists() and stamp.exists() and stamp.read_text() == digest:
        return config_path, False
    template_path.write_text(TEMPLATES)
    with tempfile.NamedTemporaryFile("w", dir=directory, suffix=".yml", delete=False) as tmp:
        tmp.write(text)
    candidate = Path(tmp.name)
    candidate.chmod(0o600)
    try:
        check(candidate)
    except ConfigInvalid:
        candidate.unlink(missing_ok=True)
        raise
    candidate.replace(config_path)
    stamp.write_text(digest)
    return config_path, True


def check(path: Path) -> None:
    amtool = shutil.which("amtool")
    if amtool is None:
        log.warning("amtool is not installed: Alertmanager's configuration is not checked before a reload")
        return
    result = subprocess.run([amtool, "check-config", str(path)], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise ConfigInvalid((result.stdout + result.stderr).strip()[-2000:])


def sync(services: Services) -> bool:
    """Bring Alertmanager's configuration up to date and reload it when it changed; False when nothing to do."""
    directory = services.settings.am_config_dir
    if directory is None:  # an Alertmanager whose configuration is managed elsewhere
        return False
    _, changed = write(services.settings, services, directory)
    if changed and services.alertmanager_url:
        Alertmanager(services.alertmanager_url).reload()
    return changed
