"""The scope register: one row per administrative procedure or internal process in scope."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.issued import IssuedDocument
from compliance.core.tenancy import OrganisationScoped

# "procedure": an administrative procedure (thủ tục hành chính) the agency settles;
# "process": an internal process the agency brings into scope.
SCOPE_KINDS = ("procedure", "process")

# The controlled documents that implement an entry (its procedure, forms, instructions).
scope_entry_document = Table(
    "scope_entry_document", db.metadata,
    Column("entry_id", ForeignKey("scope_entry.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class ScopeEntry(OrganisationScoped, TimestampMixin, db.Model):
    """What the quality system covers: a procedure or process, while `in_scope`."""

    __tablename__ = "scope_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="procedure")
    name: Mapped[str] = mapped_column(String(300))
    # Its code in the national database of administrative procedures (e.g. "1.004227").
    national_code: Mapped[str] = mapped_column(String(32), default="")
    field: Mapped[str] = mapped_column(String(200), default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    # Days the law allows for settling a dossier (procedures).
    time_limit_days: Mapped[int | None]
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    process_id: Mapped[int | None] = mapped_column(ForeignKey("process.id"), index=True)
    # The ratio measure its monthly on-time handling feeds (scope/handling.py), if any.
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id"), index=True)
    # Taken out of scope: kept, so that the register and its history still name it.
    in_scope: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)

    department = relationship("Department")
    process = relationship("Process")
    measure = relationship("Measure")
    documents = relationship("Document", secondary=scope_entry_document,
                             order_by="Document.code")

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about an entry."""
        return {"kind": self.kind, "name": self.name, "national_code": self.national_code,
                "field": self.field, "legal_basis": self.legal_basis,
                "time_limit_days": self.time_limit_days, "department_id": self.department_id,
                "process_id": self.process_id, "measure_id": self.measure_id,
                "in_scope": self.in_scope,
                "document_ids": sorted(d.id for d in self.documents)}


# A draft is written and changed by the coordinator; signed by the head, it is issued.
ANNOUNCEMENT_STATES = ("draft", "issued")


class Announcement(IssuedDocument, OrganisationScoped, TimestampMixin, db.Model):
    """A decision announcing the quality system's conformity to TCVN ISO 9001:2015 (Quyết định
    công bố), drafted from the scope, signed by the head of the agency, issued as a PDF."""

    __tablename__ = "scope_announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    symbol: Mapped[str] = mapped_column(String(32), default="QĐ-UBND")
    # The decision's bases ("Căn cứ ..."), articles and recipients, one per line.
    legal_bases: Mapped[str] = mapped_column(Text, default="")
    articles: Mapped[str] = mapped_column(Text, default="")
    # The procedures in scope when it was signed (JSON): its annex, as issued.
    annex: Mapped[str] = mapped_column(Text, default="[]")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about an announcement."""
        return {"state": self.state, "number": self.number, "symbol": self.symbol,
                "issuer": self.issuer, "superior": self.superior, "place": self.place,
                "legal_bases": self.legal_bases, "articles": self.articles,
                "recipients": self.recipients, "signer_title": self.signer_title,
                "signer_id": self.signer_id, "issued_on": self.issued_on,
                "signature_method": self.signature_method, "pdf_sha256": self.pdf_sha256}


class HandlingMonth(OrganisationScoped, db.Model):
    """How the dossiers of one procedure were handled in one month (issue 17, item 5), as the
    one-stop-shop software exported them: received, settled on time, settled late, and the
    apology letters (phiếu xin lỗi) issued for late ones."""

    __tablename__ = "scope_handling_month"
    __table_args__ = (UniqueConstraint("entry_id", "month"),
                      Index("ix_scope_handling_month_org_month", "organisation_id", "month"))

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("scope_entry.id"), index=True)
    # "2026-03": a month, as measure periods name it.
    month: Mapped[str] = mapped_column(String(7))
    received: Mapped[int]
    on_time: Mapped[int]
    late: Mapped[int]
    apologies: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255), default="")
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    imported_at: Mapped[datetime]

    entry = relationship("ScopeEntry")

    def snapshot(self) -> dict:
        """What the audit trail records about a month."""
        return {"entry_id": self.entry_id, "month": self.month, "received": self.received,
                "on_time": self.on_time, "late": self.late, "apologies": self.apologies}
