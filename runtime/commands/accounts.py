"""``wattboard users`` and ``wattboard tokens``: accounts made from the command line (the first administrator comes
this way)."""

from __future__ import annotations

import click

from config import load_settings
from i18n import say
from runtime.operator import operator_session


@click.group()
def users() -> None:
    """Manage users."""


@users.command("create")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice(["admin", "operator", "consumer"]), required=True)
@click.option("--org-inn", default=None, help="INN of the organization (required for consumers).")
def users_create(email: str, password: str, role: str, org_inn: str | None) -> None:
    """Create a user."""
    from auth.user_admin import create_user
    from data.relational import migrate as migrations

    with operator_session(load_settings()) as (services, operator):
        migrations.upgrade(services.db)  # the first administrator may come before anything else
        user = create_user(services, operator, email, password, role, org_inn)
    click.echo(f"created {user.email} ({user.role})")


@click.group()
def tokens() -> None:
    """Personal API tokens."""


@tokens.command("create")
@click.argument("email")
def tokens_create(email: str) -> None:
    """Issue an API token for a user; it is printed once and stored only as a hash."""
    from auth.user_admin import AccountError, issue_api_token

    with operator_session(load_settings()) as (services, operator):
        try:
            click.echo(issue_api_token(services, operator, email))
        except AccountError as exc:
            raise click.ClickException(say(exc)) from None
