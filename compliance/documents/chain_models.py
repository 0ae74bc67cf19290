"""The approval chains' tables: a document type's chain (or one document's own), its steps,
and the steps copied onto a revision at each submission. Re-exported by documents.models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped


class ApprovalChain(OrganisationScoped, db.Model):
    """The steps a revision passes before it comes into force: one chain per document type,
    and a document's own where a coordinator overrode its type's (with the reason)."""

    __tablename__ = "approval_chain"
    # One chain per document type in each organisation.
    __table_args__ = (UniqueConstraint("organisation_id", "doc_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str | None] = mapped_column(String(24))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), unique=True)
    reason: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    steps: Mapped[list[ApprovalStep]] = relationship(
        cascade="all, delete-orphan", lazy="selectin",
        order_by="(ApprovalStep.position, ApprovalStep.id)")

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about a chain."""
        return {"doc_type": self.doc_type, "document_id": self.document_id,
                "reason": self.reason, "steps": [s.snapshot() for s in self.steps]}


class ApprovalStep(db.Model):
    """One step of a chain: steps of the same position are signed in parallel, a step waits
    for every step of a smaller position."""

    __tablename__ = "approval_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("approval_chain.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int]
    meaning: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(24))

    def snapshot(self) -> dict:
        """The step as the audit trail records it."""
        return {"position": self.position, "meaning": self.meaning, "role": self.role}


class RevisionStep(db.Model):
    """A step of the chain a revision was submitted under, copied at submission so that a
    later change of the chain never changes a round in progress or on record."""

    __tablename__ = "revision_step"
    __table_args__ = (Index("ix_revision_step_revision_round", "revision_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id"))
    round: Mapped[int]
    position: Mapped[int]
    meaning: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(24))
