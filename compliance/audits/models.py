"""Audit programme, audit, checklist item, evidence, finding, finding grade, question bank."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.audits.labels import AUDIT_STATES, RESULTS
from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped, organisation_for_insert

__all__ = ["AUDIT_STATES", "RESULTS", "Audit", "AuditProgramme", "ChecklistItem", "Evidence",
           "Finding", "FindingGrade", "Question", "audit_clause", "audit_process", "audit_team"]

audit_clause = Table(
    "audit_clause", db.metadata,
    Column("audit_id", ForeignKey("audit.id", ondelete="CASCADE"), primary_key=True),
    Column("clause_id", ForeignKey("clause.id"), primary_key=True),
)
audit_process = Table(
    "audit_process", db.metadata,
    Column("audit_id", ForeignKey("audit.id", ondelete="CASCADE"), primary_key=True),
    Column("process_id", ForeignKey("process.id"), primary_key=True),
)
audit_team = Table(
    "audit_team", db.metadata,
    Column("audit_id", ForeignKey("audit.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id"), primary_key=True),
)


class AuditProgramme(OrganisationScoped, TimestampMixin, db.Model):
    """The plan of internal audits for a period (usually a year)."""

    __tablename__ = "audit_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date]
    period_end: Mapped[date]
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    audits: Mapped[list[Audit]] = relationship(back_populates="programme",
                                               order_by="Audit.planned_start")

    __mapper_args__ = {"version_id_col": version}


class Audit(OrganisationScoped, TimestampMixin, db.Model):
    """One audit of a department: scope, criteria, dates, team, state, meetings, report."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_department_status", "department_id", "status"),
                      UniqueConstraint("organisation_id", "reference"))

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40))
    programme_id: Mapped[int] = mapped_column(ForeignKey("audit_programme.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    criteria: Mapped[str] = mapped_column(Text, default="")
    scope_note: Mapped[str] = mapped_column(Text, default="")
    planned_start: Mapped[date] = mapped_column(index=True)
    planned_end: Mapped[date]
    lead_auditor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="planned", index=True)
    opening_meeting_at: Mapped[datetime | None]
    opening_attendees: Mapped[str] = mapped_column(Text, default="")
    closing_meeting_at: Mapped[datetime | None]
    closing_attendees: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime | None]
    reported_at: Mapped[datetime | None]
    report_signer_name: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancellation_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    programme: Mapped[AuditProgramme] = relationship(back_populates="audits")
    department = relationship("Department", lazy="joined")
    lead_auditor = relationship("User", lazy="joined", foreign_keys=[lead_auditor_id])
    clauses = relationship("Clause", secondary=audit_clause, order_by="Clause.sort_key")
    processes = relationship("Process", secondary=audit_process, order_by="Process.code")
    team = relationship("User", secondary=audit_team, order_by="User.name")
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="audit", order_by="ChecklistItem.position",
        cascade="all, delete-orphan")
    findings: Mapped[list[Finding]] = relationship(back_populates="audit",
                                                   order_by="Finding.number")

    __mapper_args__ = {"version_id_col": version}

    def auditor_ids(self) -> set[int]:
        """The lead auditor and the team."""
        return {self.lead_auditor_id} | {u.id for u in self.team}

    def snapshot(self) -> dict:
        """What the audit trail records about an audit."""
        return {"reference": self.reference, "department_id": self.department_id,
                "status": self.status, "planned_start": self.planned_start,
                "planned_end": self.planned_end, "lead_auditor_id": self.lead_auditor_id,
                "team": sorted(u.id for u in self.team),
                "clauses": sorted(c.number for c in self.clauses),
                "processes": sorted(p.code for p in self.processes),
                "criteria": self.criteria}


class Question(OrganisationScoped, db.Model):
    """A question of the bank, asked for one clause (our own wording, never the standard's)."""

    __tablename__ = "audit_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clause.id"), index=True)
    text_vi: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    clause = relationship("Clause", lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def text(self, locale: str) -> str:
        """The question in the reader's language."""
        return self.text_en if locale == "en" else self.text_vi


class ChecklistItem(db.Model):
    """A line of an audit's checklist: the question, the result, notes and evidence."""

    __tablename__ = "checklist_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"),
                                          index=True)
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clause.id"))
    question_vi: Mapped[str] = mapped_column(Text)
    question_en: Mapped[str] = mapped_column(Text)
    position: Mapped[int]
    result: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime | None]

    audit: Mapped[Audit] = relationship(back_populates="items")
    clause = relationship("Clause", lazy="joined")
    evidence: Mapped[list[Evidence]] = relationship(back_populates="item",
                                                    order_by="Evidence.id")

    def question(self, locale: str) -> str:
        """The question in the reader's language."""
        return (self.question_en or self.question_vi) if locale == "en" else self.question_vi


class Evidence(db.Model):
    """What an auditor saw: a controlled document (the revision then in force) or a file."""

    __tablename__ = "audit_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("checklist_item.id", ondelete="CASCADE"),
                                         index=True)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revision.id"))
    blob_sha256: Mapped[str | None] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(255))
    file_kind: Mapped[str | None] = mapped_column(String(8))
    file_size: Mapped[int | None]
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime]

    item: Mapped[ChecklistItem] = relationship(back_populates="evidence")
    revision = relationship("Revision", lazy="joined")


class FindingGrade(OrganisationScoped, db.Model):
    """A grade of finding and its rules: each organisation's own (copied from the defaults
    when it is made, then adjusted by its coordinator)."""

    __tablename__ = "finding_grade"

    # Part of the key: each organisation has its "major", "minor"...
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"),
                                                 primary_key=True,
                                                 default=organisation_for_insert)
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    raises_corrective_action: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_root_cause: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_effectiveness_evidence: Mapped[bool] = mapped_column(Boolean, default=False)
    effectiveness_check_days: Mapped[int] = mapped_column(default=60)
    # Corrective actions (capa): days from raising to the target date by which the correction,
    # the root cause and the action plan are due; None: no target date, not chased.
    corrective_action_days: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def name(self, locale: str) -> str:
        """The grade's name in the reader's language."""
        return self.name_en if locale == "en" else self.name_vi


class Finding(OrganisationScoped, db.Model):
    """Something an audit found, graded; major and minor ones call for corrective action.
    The audited department answers it by its response due date. Its organisation is its
    audit's (carried here for the grade, which is the organisation's)."""

    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("audit_id", "number"),
                      ForeignKeyConstraint(["organisation_id", "grade"],
                                           ["finding_grade.organisation_id",
                                            "finding_grade.code"]),
                      # The daily chase reads the unanswered findings past their date.
                      Index("ix_finding_open_response_due", "responded_at", "response_due_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    number: Mapped[int]
    item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_item.id"))
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clause.id"), index=True)
    grade: Mapped[str] = mapped_column(String(16), index=True)
    description: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]
    response_due_on: Mapped[date | None]
    response: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime | None]
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    audit: Mapped[Audit] = relationship(back_populates="findings")
    clause = relationship("Clause", lazy="joined")
    grade_rule = relationship("FindingGrade", lazy="joined", viewonly=True)
    responded_by = relationship("User", foreign_keys=[responded_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def reference(self) -> str:
        """e.g. DG-2026-03/F02."""
        return f"{self.audit.reference}/F{self.number:02d}"
