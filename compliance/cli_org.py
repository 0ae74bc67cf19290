"""The `--org CODE` of the commands that act on one organisation (issue 14)."""

from __future__ import annotations

import click

from compliance.org import organisations
from compliance.org.models import Organisation

org_option = click.option(
    "--org", "org_code", default=None, metavar="CODE",
    help="Code of the organisation to act for (default: the default organisation).")


def organisation_named(code: str | None) -> Organisation:
    """The organisation a command names (its default one without `--org`); a usage error
    naming the known codes when there is none by that code."""
    found = organisations.by_code(code)
    if found is None:
        known = ", ".join(o.code for o in organisations.all_organisations())
        raise click.BadParameter(f"no organisation has the code {code!r} (known: {known}).",
                                 param_hint="--org")
    return found
