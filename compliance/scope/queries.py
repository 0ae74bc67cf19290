"""Reads of the scope for the public register (which no one signs in to read)."""

from __future__ import annotations

from sqlalchemy import select

from compliance.core.extensions import db
from compliance.scope.models import Announcement, ScopeEntry


def public_announcement(organisation_id: int) -> Announcement | None:
    """The organisation's announcement in force: the last one issued."""
    return db.session.scalars(select(Announcement).where(
        Announcement.organisation_id == organisation_id, Announcement.state == "issued")
        .order_by(Announcement.signed_at.desc())).first()


def public_scope(organisation_id: int) -> list[ScopeEntry]:
    """The procedures and processes in the organisation's scope now."""
    return list(db.session.scalars(select(ScopeEntry).where(
        ScopeEntry.organisation_id == organisation_id, ScopeEntry.in_scope)
        .order_by(ScopeEntry.kind, ScopeEntry.name)))
