"""The `compliance` console script."""

from __future__ import annotations

from flask.cli import FlaskGroup

from compliance.app import create_app


def main() -> None:
    """Entry point of the console script."""
    cli = FlaskGroup(create_app=lambda: create_app(), help="ISO 9001 compliance manager.")
    # The app is fixed for this command; Flask's -A/--app option would only mislead.
    cli.params = [param for param in cli.params if param.name != "app"]
    cli.main(prog_name="compliance")
