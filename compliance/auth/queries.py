"""Reads of accounts for lists: data, never URLs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from compliance.auth.models import User
from compliance.core.collation import sorted_people
from compliance.core.extensions import db


def users() -> list[User]:
    """Every account in the order of a Vietnamese list of people (given name first), with
    the roles and memberships the list shows, read in two queries for all of them."""
    return sorted_people(db.session.scalars(
        select(User).options(selectinload(User.roles), selectinload(User.memberships))))
