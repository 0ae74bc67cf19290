"""Organisation, department, process and clause."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped

# What a process is: an ordinary process, or the handling of an administrative procedure
# (thủ tục hành chính), which has a legal time limit in days (số ngày giải quyết).
PROCESS_KINDS = ("ordinary", "administrative")

# The interaction of processes (4.4.1 b): a row says the first process comes before the second
# (its outputs feed the second's inputs).
process_flow = Table(
    "process_flow", db.metadata,
    Column("from_process_id", ForeignKey("process.id", ondelete="CASCADE"), primary_key=True),
    Column("to_process_id", ForeignKey("process.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)
# The controlled documents that describe a process (its procedure, forms, instructions).
process_document = Table(
    "process_document", db.metadata,
    Column("process_id", ForeignKey("process.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Organisation(TimestampMixin, db.Model):
    """One quality system of the installation: a district, a commune, an agency. They form a
    tree (a district above its communes); every scoped row belongs to one."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    # How the codes of its documents are made; empty: the installation's default pattern.
    document_code_pattern: Mapped[str] = mapped_column(String(64), default="")
    # The logo, as the SHA-256 of its blob in the store; None: no logo.
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    def name(self, locale: str) -> str:
        """The name in the reader's language."""
        return self.name_en if locale == "en" else self.name_vi

    def snapshot(self) -> dict:
        """What the audit trail records about an organisation."""
        return {"code": self.code, "name_vi": self.name_vi, "name_en": self.name_en,
                "parent_id": self.parent_id, "time_zone": self.time_zone,
                "document_code_pattern": self.document_code_pattern,
                "logo_sha256": self.logo_sha256}


class Department(OrganisationScoped, TimestampMixin, db.Model):
    """A phòng, ban or đơn vị: holds its own certificate, documents, audits and actions."""

    __tablename__ = "department"
    # Codes are unique within an organisation: two communes may each have their "VP".
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    certificate_number: Mapped[str | None] = mapped_column(String(100))
    certification_body: Mapped[str | None] = mapped_column(String(200))
    certificate_expires_on: Mapped[date | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)

    parent: Mapped[Department | None] = relationship(remote_side=[id])
    memberships = relationship("Membership", back_populates="department")
    processes: Mapped[list[Process]] = relationship(back_populates="department",
                                                    order_by="Process.code")

    __mapper_args__ = {"version_id_col": version}

    def name(self, locale: str) -> str:
        """The name in the reader's language."""
        return self.name_en if locale == "en" else self.name_vi

    def heads(self):
        """Users who head this department."""
        return [m.user for m in self.memberships if m.role == "department_head"]

    def snapshot(self) -> dict:
        """What the audit trail records about a department."""
        return {"code": self.code, "name_vi": self.name_vi, "name_en": self.name_en,
                "parent_id": self.parent_id, "active": self.active,
                "certificate_number": self.certificate_number,
                "certification_body": self.certification_body,
                "certificate_expires_on": self.certificate_expires_on}


class Process(OrganisationScoped, TimestampMixin, db.Model):
    """A process of the quality system (clause 4.4) owned by a department."""

    __tablename__ = "process"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    inputs: Mapped[str] = mapped_column(Text, default="")
    outputs: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default="ordinary")
    # Days the law allows for settling a dossier (administrative procedures only).
    time_limit_days: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    department: Mapped[Department] = relationship(back_populates="processes")
    owner = relationship("User")
    # The processes this one hands on to, and those it receives from.
    after: Mapped[list[Process]] = relationship(
        "Process", secondary=process_flow, order_by="Process.code", back_populates="before",
        primaryjoin=lambda: Process.id == process_flow.c.from_process_id,
        secondaryjoin=lambda: Process.id == process_flow.c.to_process_id)
    before: Mapped[list[Process]] = relationship(
        "Process", secondary=process_flow, order_by="Process.code", back_populates="after",
        primaryjoin=lambda: Process.id == process_flow.c.to_process_id,
        secondaryjoin=lambda: Process.id == process_flow.c.from_process_id)
    documents = relationship("Document", secondary=process_document, order_by="Document.code")

    __mapper_args__ = {"version_id_col": version}

    def name(self, locale: str) -> str:
        """The name in the reader's language."""
        return self.name_en if locale == "en" else self.name_vi

    def snapshot(self) -> dict:
        """What the audit trail records about a process."""
        return {"code": self.code, "name_vi": self.name_vi, "name_en": self.name_en,
                "department_id": self.department_id, "owner_id": self.owner_id,
                "inputs": self.inputs, "outputs": self.outputs, "purpose": self.purpose,
                "kind": self.kind, "time_limit_days": self.time_limit_days,
                "before": sorted(p.code for p in self.before),
                "after": sorted(p.code for p in self.after),
                "documents": sorted(d.code for d in self.documents)}


class Clause(db.Model):
    """A clause of a management-system standard, per edition."""

    __tablename__ = "clause"
    __table_args__ = (UniqueConstraint("edition", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(16))
    parent_number: Mapped[str | None] = mapped_column(String(16))
    title_en: Mapped[str] = mapped_column(String(255))
    title_vi: Mapped[str] = mapped_column(String(255))
    sort_key: Mapped[str] = mapped_column(String(64), index=True)

    def title(self, locale: str) -> str:
        """The title in the reader's language."""
        return self.title_en if locale == "en" else self.title_vi

    @property
    def depth(self) -> int:
        """0 for a top-level clause, 1 for its children, and so on."""
        return self.number.count(".")
