"""Reads of accounts for lists: data, never URLs."""

from __future__ import annotations

from sqlalchemy import select

from compliance.auth.models import User
from compliance.core.extensions import db


def users() -> list[User]:
    """Every account by name (roles and memberships come along: selectin)."""
    return list(db.session.scalars(select(User).order_by(User.name)))
