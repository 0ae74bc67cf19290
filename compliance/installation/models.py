"""Oversight: a person may read an organisation and everything below it, never write."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import utcnow
from compliance.core.extensions import db


class OversightGrant(db.Model):
    """A person's oversight of one organisation's subtree (it and all below it)."""

    __tablename__ = "oversight_grant"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    organisation = relationship("Organisation", lazy="joined")

    def snapshot(self) -> dict:
        """What the audit trail records about a grant."""
        return {"user_id": self.user_id, "organisation_id": self.organisation_id}
