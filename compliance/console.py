"""The `compliance` console script."""

from __future__ import annotations

from flask.cli import FlaskGroup, routes_command, shell_command

from compliance import create_app


def make_cli() -> FlaskGroup:
    """The command group: the app's commands, Flask's `shell` and `routes`."""
    # Flask's `run` is left out: its development server announces Werkzeug's and Python's
    # versions and offers a debugger; `compliance serve` is this product's server.
    cli = FlaskGroup(create_app=lambda: create_app(), help="ISO 9001 compliance manager.",
                     add_default_commands=False)
    cli.add_command(shell_command)
    cli.add_command(routes_command)
    # The app is fixed for this command; Flask's -A/--app option would only mislead.
    cli.params = [param for param in cli.params if param.name != "app"]
    return cli


def main() -> None:
    """Entry point of the console script."""
    make_cli().main(prog_name="compliance")
