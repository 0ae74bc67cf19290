"""Reads of accounts for lists: data, never URLs."""

from __future__ import annotations

from sqlalchemy import select

from compliance.auth.models import User
from compliance.core.collation import sorted_people
from compliance.core.extensions import db


def users() -> list[User]:
    """Every account in the order of a Vietnamese list of people (given name first; roles
    and memberships come along: selectin)."""
    return sorted_people(db.session.scalars(select(User)))
