"""``wattboard orgs``: an organization's Slack and single sign-on connected from the command line."""

from __future__ import annotations

import os

import click

from config import load_settings
from i18n import say
from runtime.operator import operator_session


@click.group()
def orgs() -> None:
    """Organizations."""


@orgs.command("set-slack")
@click.argument("inn")
@click.argument("url", required=False)
@click.option("--allow-private", is_flag=True, help="Let the webhook be on a private or loopback address.")
@click.option("--remove", is_flag=True, help="Disconnect the organization's Slack.")
def orgs_set_slack(inn: str, url: str | None, allow_private: bool, remove: bool) -> None:
    """Connect an organization's Slack incoming webhook (stored encrypted; the address is checked)."""
    from alerts.actions import set_slack
    from data.relational.meters import organization_by_inn

    if not url and not remove:
        raise click.UsageError("give the webhook URL, or --remove")
    with operator_session(load_settings()) as (services, operator):
        org_id = organization_by_inn(services.db, inn)
        if org_id is None:
            raise click.ClickException(f"no organization with INN {inn}")
        try:
            set_slack(services, operator, org_id, None if remove else url, allow_private)
        except ValueError as exc:
            raise click.ClickException(say(exc)) from None
        click.echo(f"Slack {'disconnected' if remove else 'connected'} for organization {inn}")


@orgs.command("set-sso")
@click.argument("inn")
@click.option("--issuer", help="The provider's issuer URL (discovery: <issuer>/.well-known/openid-configuration).")
@click.option("--client-id", help="Wattboard's client id at the provider.")
@click.option("--domain", help="The email domain the organization's members sign in with, e.g. example.ru.")
@click.option(
    "--client-secret-env",
    default="WATTBOARD_SSO_CLIENT_SECRET",
    show_default=True,
    help="The environment variable holding the client secret (asked for when it is not set).",
)
@click.option("--allow-private", is_flag=True, help="Let the issuer be on a private or loopback address.")
@click.option("--remove", is_flag=True, help="Disconnect the organization's single sign-on.")
def orgs_set_sso(
    inn: str, issuer: str | None, client_id: str | None, domain: str | None, client_secret_env: str,
    allow_private: bool, remove: bool,
) -> None:
    """Connect an organization's OpenID Connect provider: its members then sign in there (matched by verified
    email at the domain; roles stay Wattboard's). The client secret is stored encrypted."""
    from data.relational.meters import organization_by_inn
    from sso.providers import connect, disconnect, provider

    if not remove and not (issuer and client_id and domain):
        raise click.UsageError("give --issuer, --client-id and --domain, or --remove")
    with operator_session(load_settings()) as (services, operator):
        org_id = organization_by_inn(services.db, inn)
        if org_id is None:
            raise click.ClickException(f"no organization with INN {inn}")
        if remove:
            had = disconnect(services, operator, org_id)
            click.echo(f"single sign-on {'disconnected' if had else 'was not connected'} for organization {inn}")
            return
        secret = os.environ.get(client_secret_env) or click.prompt("Client secret", hide_input=True)
        try:
            connect(services, operator, org_id, issuer or "", client_id or "", secret, domain or "", allow_private)
        except ValueError as exc:
            raise click.ClickException(say(exc)) from None
        stored = provider(services, org_id)
        assert stored is not None
        click.echo(f"single sign-on connected for organization {inn}: {stored.email_domain} through {stored.issuer}")
        callback = f"{services.settings.base_url}/oidc/{stored.name}/callback"
        click.echo(f"redirect URI to register at the provider: {callback}")
