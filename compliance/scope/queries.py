"""Reads of the scope for the public register (which no one signs in to read)."""

from __future__ import annotations

from sqlalchemy import func, select

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


# For the scheduler, which acts for one organisation at a time (the tenancy backstop limits
# these reads to it).

def latest_issued() -> Announcement | None:
    """The announcement in force of the organisation the work acts for."""
    return db.session.scalars(select(Announcement).where(Announcement.state == "issued")
                              .order_by(Announcement.signed_at.desc())).first()


def waiting_draft() -> Announcement | None:
    """The newest draft decision waiting to be signed."""
    return db.session.scalars(select(Announcement).where(Announcement.state == "draft")
                              .order_by(Announcement.id.desc())).first()


def scope_changed_after(last: Announcement | None) -> bool:
    """Whether the scope changed after the announcement (or none was made while something
    is in scope): QĐ 19/2014, Điều 4.3, asks for a new one."""
    changed = db.session.scalar(select(func.max(ScopeEntry.updated_at)))
    return changed is not None and (last is None or changed > last.signed_at)
