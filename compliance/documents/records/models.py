"""Retention rules per document type, disposition decisions, legal holds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped, organisation_for_insert

# How a retention period is counted: from the day a revision stopped being in force
# (superseded, or its document made obsolete), from the end of the year it was created, or
# never (kept permanently).
BASES = ("superseded", "created", "permanent")
# What a coordinator decides for a revision whose retention has ended.
DECISIONS = ("destroy", "extend", "transfer")
# What a hold is placed on.
HOLD_SCOPES = ("document", "department", "audit")


class RetentionRule(OrganisationScoped, db.Model):
    """How long an organisation keeps the revisions of one document type (data: its
    coordinator edits it; a type without a row keeps the default)."""

    __tablename__ = "retention_rule"
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"),
                                                 primary_key=True,
                                                 default=organisation_for_insert)
    doc_type: Mapped[str] = mapped_column(String(24), primary_key=True)
    basis: Mapped[str] = mapped_column(String(16))
    years: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about a rule."""
        return {"type": self.doc_type, "basis": self.basis, "years": self.years}


class Disposition(db.Model):
    """A signed decision on a revision whose retention ended: destroyed, kept longer (until a
    date), or transferred to the archive. Kept for good, with the revision's metadata."""

    __tablename__ = "disposition"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    # The day retention ended (the item was due the day after), as it was when decided.
    kept_until: Mapped[date | None]
    # Keep longer: the new last day of retention.
    extended_until: Mapped[date | None]
    signer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[datetime]
    # Destroyed: whether the stored file went too (kept while another record refers to it).
    file_removed: Mapped[bool] = mapped_column(Boolean, default=False)

    revision = relationship("Revision", lazy="joined")


class LegalHold(OrganisationScoped, db.Model):
    """A hold on a document, a department's documents or the documents cited in an audit:
    nothing it covers may be disposed of, made obsolete or withdrawn until it is lifted."""

    __tablename__ = "legal_hold"
    __table_args__ = (Index("ix_legal_hold_open", "lifted_at", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    placed_at: Mapped[datetime]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    lifted_at: Mapped[datetime | None]
    lift_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    document = relationship("Document", lazy="joined")
    department = relationship("Department", lazy="joined")
    audit = relationship("Audit", lazy="joined")
    placed_by = relationship("User", lazy="joined", foreign_keys=[placed_by_id])
    lifted_by = relationship("User", lazy="joined", foreign_keys=[lifted_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def in_force(self) -> bool:
        """Whether the hold still holds."""
        return self.lifted_at is None

    def target_label(self, locale: str) -> str:
        """What the hold is on, in a few words (code, or department code and name)."""
        if self.scope == "document" and self.document is not None:
            return f"{self.document.code} {self.document.title(locale)}"
        if self.scope == "department" and self.department is not None:
            return f"{self.department.code} {self.department.name(locale)}"
        if self.scope == "audit" and self.audit is not None:
            return self.audit.reference
        return "—"

    def snapshot(self) -> dict:
        """What the audit trail records about a hold."""
        return {"scope": self.scope, "document_id": self.document_id,
                "department_id": self.department_id, "audit_id": self.audit_id,
                "reason": self.reason, "placed_by_id": self.placed_by_id,
                "placed_at": self.placed_at, "lifted_by_id": self.lifted_by_id,
                "lifted_at": self.lifted_at, "lift_reason": self.lift_reason}
