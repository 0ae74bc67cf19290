"""The audit event row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from compliance.core.extensions import db
from compliance.core.tenancy import organisation_for_insert


class AuditEvent(db.Model):
    """One change: who did what to which entity, chained to the event before it in the
    same organisation's trail."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The organisation whose chain it belongs to (one chain each). Not OrganisationScoped: the
    # backup's check and the storage sweep read every chain; the trail's pages limit
    # themselves to the reader's organisation (audit_trail.rules).
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True,
                                                 default=organisation_for_insert)
    # Its place in its organisation's chain (1, 2, ...): `seq` orders the installation's
    # events, `position` finds a gap in one organisation's.
    position: Mapped[int]

    __table_args__ = (db.Index("ix_audit_event_entity", "entity_type", "entity_id"),
                      UniqueConstraint("organisation_id", "position"))
