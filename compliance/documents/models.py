"""Document, revision, approval signature, approval chain, periodic review, acknowledgement,
download log, the stamped copies kept for reuse, and the PDF renditions of office files."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped
from compliance.documents.chain_models import (  # noqa: F401 - the document domain's tables
    ApprovalChain,
    ApprovalStep,
    RevisionStep,
)

DOC_TYPES = ("manual", "policy", "procedure", "work_instruction", "form", "record", "external")
# Vietnamese abbreviations used in document codes: Sổ tay, Chính sách, Quy trình, Hướng dẫn,
# Biểu mẫu, Hồ sơ, Tài liệu bên ngoài.
TYPE_PREFIX = {"manual": "ST", "policy": "CS", "procedure": "QT", "work_instruction": "HD",
               "form": "BM", "record": "HS", "external": "TL"}
REVISION_STATES = ("draft", "in_review", "approved", "effective", "superseded", "obsolete",
                   "withdrawn")
# What a signature means; a step of an approval chain names one of them.
MEANINGS = ("reviewed", "checked", "approved")
# Who signs a step: "approver" is whoever approves documents for the department (its head,
# the ISO coordinators, the administrators); the others name one role.
STEP_ROLES = ("approver", "department_head", "coordinator")

document_clause = Table(
    "document_clause", db.metadata,
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Column("clause_id", ForeignKey("clause.id"), primary_key=True),
)

# Departments, besides the document's own, whose people must read each new revision.
document_reader_department = Table(
    "document_reader_department", db.metadata,
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id"), primary_key=True),
)


class Document(OrganisationScoped, TimestampMixin, db.Model):
    """A controlled document: its identity, owner and review cycle; content lives in revisions."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    doc_type: Mapped[str] = mapped_column(String(24), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    title_vi: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    review_interval_months: Mapped[int] = mapped_column(default=12)
    next_review_date: Mapped[date | None] = mapped_column(index=True)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    obsolete_reason: Mapped[str | None] = mapped_column(Text)
    external_source: Mapped[str | None] = mapped_column(String(300))
    external_edition: Mapped[str | None] = mapped_column(String(100))
    external_check_date: Mapped[date | None] = mapped_column(index=True)
    # The register of external documents (documents.external): what kind of legal document
    # it is, its number and symbol ("30/2020/NĐ-CP"), when it was issued, whether it is still
    # in force, the document replacing it, and when someone last checked. The issuing body
    # is `external_source`; the next check, `external_check_date`.
    legal_kind: Mapped[str | None] = mapped_column(String(24))
    legal_number: Mapped[str | None] = mapped_column(String(64))
    legal_issued_on: Mapped[date | None]
    legal_status: Mapped[str | None] = mapped_column(String(16))
    # No foreign key in the database (SQLite could not drop the column again without
    # rebuilding the table): documents.external.services checks the document it names.
    replaced_by_id: Mapped[int | None]
    external_checked_on: Mapped[date | None]
    # When it was made obsolete: the retention of its withdrawn revisions counts from then.
    obsolete_at: Mapped[datetime | None]
    # This document's own retention, overriding its type's rule (records.models.BASES), with
    # the reason; none: the type's rule applies.
    retention_basis: Mapped[str | None] = mapped_column(String(16))
    retention_years: Mapped[int | None]
    retention_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    department = relationship("Department", lazy="joined")
    owner = relationship("User", lazy="joined")
    replaced_by = relationship("Document", remote_side="Document.id",
                               primaryjoin="foreign(Document.replaced_by_id) == Document.id")
    clauses = relationship("Clause", secondary=document_clause, order_by="Clause.sort_key")
    reader_departments = relationship("Department", secondary=document_reader_department,
                                      order_by="Department.code")
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="document", order_by="Revision.number.desc()")

    __mapper_args__ = {"version_id_col": version}
    # The register's usual filter + sort, so any page (however deep) is an index range scan.
    __table_args__ = (Index("ix_document_status_code", "status", "code", "id"),
                      # The same within one organisation: one commune's register among many
                      # is a range scan of its own rows, not a filter over everyone's.
                      Index("ix_document_organisation_status_code", "organisation_id",
                            "status", "code", "id"),
                      # The review alerts read a date range of effective documents; the
                      # organisation after the date lets the oversight overview count each
                      # one's overdue documents from the index alone (an index-only scan).
                      Index("ix_document_status_next_review", "status", "next_review_date",
                            "organisation_id"),
                      Index("ix_document_department_code", "department_id", "code", "id"),
                      # A code is unique within its organisation (issue 14).
                      UniqueConstraint("organisation_id", "code"))

    def title(self, locale: str) -> str:
        """The title in the reader's language (falls back to Vietnamese)."""
        return (self.title_en or self.title_vi) if locale == "en" else self.title_vi

    def snapshot(self) -> dict:
        """What the audit trail records about a document."""
        return {"code": self.code, "type": self.doc_type, "department_id": self.department_id,
                "title_vi": self.title_vi, "title_en": self.title_en, "owner_id": self.owner_id,
                "status": self.status, "review_interval_months": self.review_interval_months,
                "next_review_date": self.next_review_date, "public": self.is_public,
                "clauses": sorted(c.number for c in self.clauses),
                "readers": sorted(d.code for d in self.reader_departments),
                "external_source": self.external_source,
                "external_edition": self.external_edition,
                "external_check_date": self.external_check_date,
                **(self.legal_snapshot() if self.doc_type == "external" else {})}

    def legal_snapshot(self) -> dict:
        """What the audit trail records of an external document's register entry."""
        return {"legal_kind": self.legal_kind, "legal_number": self.legal_number,
                "legal_issued_on": self.legal_issued_on, "legal_status": self.legal_status,
                "replaced_by_id": self.replaced_by_id,
                "external_checked_on": self.external_checked_on}


class Revision(db.Model):
    """One issue of a document's content: a stored file that goes through approval."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("document_id", "number"),
                      Index("ix_revision_document_status", "document_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    blob_sha256: Mapped[str] = mapped_column(String(64))
    file_size: Mapped[int]
    file_kind: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(255))
    change_summary: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    effective_date: Mapped[date | None]
    superseded_at: Mapped[datetime | None]
    rejection_comment: Mapped[str | None] = mapped_column(Text)
    # Where the revision was when its document was made obsolete: reinstating puts it back.
    status_before_obsolete: Mapped[str | None] = mapped_column(String(16))
    text_content: Mapped[str | None] = deferred(mapped_column(Text))
    # The kinds of active content found in the PDF at upload (core.pdf.sanitise.KINDS),
    # comma-separated; every copy issued has them removed, the original keeps them.
    active_content: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Retention (documents.records): kept longer until this day by a decision; disposed of
    # (destroyed, transferred) and when; the file's destruction, after which no record
    # refers to it through this row (core.storage_check.DESTROYED_COLUMN); the version of
    # these facts, which a disposition form carries.
    keep_until: Mapped[date | None]
    disposition: Mapped[str | None] = mapped_column(String(16))
    disposed_at: Mapped[datetime | None]
    blob_destroyed_at: Mapped[datetime | None]
    retention_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Each submission starts a round of the approval chain (its steps copied then); 0: never
    # submitted since chains exist, signed under the single "approved for use" step.
    review_round: Mapped[int] = mapped_column(default=0, server_default="0")

    document: Mapped[Document] = relationship(back_populates="revisions")
    author = relationship("User", lazy="joined")
    # The PDF made from the office file at upload, found by the file's SHA-256 (a derived
    # file of those bytes, whichever revision holds them); copies are stamped on it. None
    # for a PDF, and for an office file uploaded while no converter was installed.
    rendition: Mapped[Rendition | None] = relationship(
        primaryjoin="foreign(Revision.blob_sha256) == Rendition.source_sha256", viewonly=True,
        lazy="joined", uselist=False)
    approvals: Mapped[list[Approval]] = relationship(
        back_populates="revision", order_by="Approval.signed_at")
    steps: Mapped[list[RevisionStep]] = relationship(
        order_by="(RevisionStep.round, RevisionStep.position, RevisionStep.id)")

    @property
    def active_kinds(self) -> list[str]:
        """The kinds of active content found in the file at upload."""
        return [kind for kind in (self.active_content or "").split(",") if kind]

    def snapshot(self) -> dict:
        """What the audit trail records about a revision."""
        return {"document_id": self.document_id, "label": self.label, "status": self.status,
                "sha256": self.blob_sha256, "size": self.file_size, "kind": self.file_kind,
                "filename": self.filename, "effective_date": self.effective_date,
                "active_content": self.active_kinds,
                "rendition_sha256": self.rendition.blob_sha256 if self.rendition else None}


class Approval(db.Model):
    """An electronic signature on a revision: who, when, meaning; password re-entered."""

    __tablename__ = "approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id"), index=True)
    signer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    meaning: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime]
    # The step of the chain this signature (or rejection) answers; None: signed before chains
    # existed, or an extra "reviewed" signature outside the chain.
    step_id: Mapped[int | None] = mapped_column(ForeignKey("revision_step.id"), index=True)

    revision: Mapped[Revision] = relationship(back_populates="approvals")


class PeriodicReview(db.Model):
    """The owner's periodic check that a document is still right."""

    __tablename__ = "periodic_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    outcome: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text)
    reviewed_at: Mapped[datetime]
    next_review_date: Mapped[date | None]

    reviewer = relationship("User", lazy="joined")


class Acknowledgement(db.Model):
    """A request that a person read an effective revision, and when they confirmed it."""

    __tablename__ = "acknowledgement"
    __table_args__ = (UniqueConstraint("revision_id", "user_id"),
                      Index("ix_acknowledgement_user_open", "user_id", "acknowledged_at"),
                      # The reminder job looks for old open requests across everyone.
                      Index("ix_acknowledgement_open_requested", "acknowledged_at",
                            "requested_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]

    revision = relationship("Revision", lazy="joined")
    user = relationship("User", lazy="joined")


class DownloadLog(db.Model):
    """A copy handed out: controlled (stamped) copy or original file."""

    __tablename__ = "download_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id"), index=True)
    # None for a copy taken from the public register, where nobody signs in.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    downloaded_at: Mapped[datetime]

    user = relationship("User", lazy="joined")
    revision = relationship("Revision", lazy="joined")


class DocumentSearch(db.Model):
    """The searchable text of a document: code, titles and the text of its current file."""

    __tablename__ = "document_search"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"),
                                             primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)


class CopyRecall(db.Model):
    """A request to the holder of a controlled copy of a superseded revision to destroy or
    return it, and their answer."""

    __tablename__ = "copy_recall"
    __table_args__ = (UniqueConstraint("revision_id", "user_id"),
                      Index("ix_copy_recall_user_open", "user_id", "answered_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # The superseded revision whose copy is recalled, and the one that replaced it.
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id"), index=True)
    replaced_by_id: Mapped[int] = mapped_column(ForeignKey("revision.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]

    revision = relationship("Revision", lazy="joined", foreign_keys=[revision_id])
    replaced_by = relationship("Revision", foreign_keys=[replaced_by_id])
    user = relationship("User", lazy="joined")


class RevisionCopy(db.Model):
    """A stamped copy kept in the blob store for reuse (the public register's copy): the same
    revision and stamp give the same copy, so it is made once. The original is never changed."""

    __tablename__ = "revision_copy"
    __table_args__ = (UniqueConstraint("revision_id", "stamp_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id"))
    stamp_sha256: Mapped[str] = mapped_column(String(64))
    blob_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    created_at: Mapped[datetime]


class Rendition(db.Model):
    """The PDF LibreOffice made of an office file (a derived file, like a stamped copy): one
    per original, found by the original's SHA-256, so revisions that share a file share it.
    The original is never changed and stays the revision's file."""

    __tablename__ = "rendition"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    blob_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    created_at: Mapped[datetime]
