"""``wattboard alertmanager config``: Alertmanager's configuration written from Wattboard's users and organizations."""

from __future__ import annotations

import click

from config import load_settings


@click.group()
def alertmanager() -> None:
    """The Alertmanager that delivers alert letters and Slack messages."""


@alertmanager.command("config")
@click.option("--reload/--no-reload", default=True, help="Ask Alertmanager to reload when the file changed.")
def alertmanager_config(reload: bool) -> None:
    """Write Alertmanager's configuration (receivers per user and organization) into its directory.

    Kubernetes runs this as the Alertmanager pod's init container (``--no-reload``) so that Alertmanager starts with
    a configuration; the alerting worker keeps it current every minute after that."""
    from alerts import am_config
    from alerts.alertmanager import Alertmanager, AlertmanagerUnavailable
    from data.services import Services

    settings = load_settings()
    directory = settings.am_config_dir
    if directory is None:
        raise click.ClickException("set WATTBOARD_ALERTMANAGER_CONFIG_DIR: where Alertmanager reads its configuration")
    services = Services(settings)
    try:
        try:
            path, changed = am_config.write(settings, services, directory)
        except am_config.ConfigInvalid as exc:
            raise click.ClickException(f"amtool refused the configuration: {exc}") from None
        click.echo(f"{path} {'written' if changed else 'unchanged'}")
        if changed and reload and services.alertmanager_url:
            try:
                Alertmanager(services.alertmanager_url).reload()
            except AlertmanagerUnavailable as exc:
                raise click.ClickException(f"written, but Alertmanager did not reload: {exc}") from None
    finally:
        services.close()
