"""`compliance org ...`: the installation's organisations from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from compliance.core.errors import DomainError
from compliance.core.uow import unit_of_work
from compliance.installation import services


@click.group("org")
def org_cli() -> None:
    """The installation's organisations."""


@org_cli.command("make-installation-admin")
@click.argument("email")
@with_appcontext
def make_installation_admin(email: str) -> None:
    """Let an existing account create organisations and their first administrators."""
    try:
        with unit_of_work():
            person = services.make_installation_admin(email)
            address = person.email
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"{address} is now the installation's administrator.")
