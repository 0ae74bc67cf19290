"""Corrective action, its 5-why steps, actions, effectiveness checks and evidence files."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped

CA_STATES = ("open", "contained", "analysed", "actions_in_progress", "verifying", "closed")
SOURCES = ("finding", "complaint", "process", "other")
ISHIKAWA = ("people", "method", "machine", "material", "measurement", "environment")
ACTION_STATES = ("open", "done", "cancelled")
# States in which a corrective action is chased against its target date: the correction, the
# root cause and the action plan are still to come (later, each action and the check have
# their own due dates, chased on their own).
TARGET_STATES = ("open", "contained", "analysed")
CHECK_STATES = ("pending", "effective", "not_effective")

# Other departments the extent check found could be affected too.
corrective_action_department = Table(
    "corrective_action_department", db.metadata,
    Column("corrective_action_id", ForeignKey("corrective_action.id", ondelete="CASCADE"),
           primary_key=True),
    Column("department_id", ForeignKey("department.id"), primary_key=True),
)


class CorrectiveAction(OrganisationScoped, TimestampMixin, db.Model):
    """A nonconformity and what is done about it, from containment to the effectiveness check."""

    __tablename__ = "corrective_action"
    __table_args__ = (Index("ix_corrective_action_department_status", "department_id",
                            "status"),
                      Index("ix_corrective_action_status_target_on", "status", "target_on"),
                      UniqueConstraint("organisation_id", "reference"),
                      # The grade is the organisation's own.
                      ForeignKeyConstraint(["organisation_id", "grade"],
                                           ["finding_grade.organisation_id",
                                            "finding_grade.code"]))

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(16), index=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id"), unique=True)
    # The value of a process measure that missed its target (source "process"), at most one
    # corrective action per value.
    measure_value_id: Mapped[int | None] = mapped_column(ForeignKey("measure_value.id"),
                                                         unique=True, index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    grade: Mapped[str] = mapped_column(String(16), index=True)
    problem: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24), default="open", index=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    raised_on: Mapped[date] = mapped_column(index=True)
    # By when the correction, the root cause and the action plan are due (the grade's rule,
    # or the date given when raised by hand); None: not chased.
    target_on: Mapped[date | None]
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    correction: Mapped[str] = mapped_column(Text, default="")
    corrected_on: Mapped[date | None]
    ishikawa: Mapped[str | None] = mapped_column(String(16))
    extent: Mapped[str] = mapped_column(Text, default="")
    closure_note: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    department = relationship("Department", lazy="joined")
    grade_rule = relationship("FindingGrade", lazy="joined", viewonly=True)
    finding = relationship("Finding")
    measure_value = relationship("MeasureValue")
    raised_by = relationship("User", foreign_keys=[raised_by_id])
    verifier = relationship("User", foreign_keys=[verifier_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    affected = relationship("Department", secondary=corrective_action_department,
                            order_by="Department.code")
    whys: Mapped[list[WhyStep]] = relationship(
        back_populates="corrective_action", order_by="WhyStep.position",
        cascade="all, delete-orphan")
    actions: Mapped[list[Action]] = relationship(
        back_populates="corrective_action", order_by="Action.id")
    checks: Mapped[list[EffectivenessCheck]] = relationship(
        back_populates="corrective_action", order_by="EffectivenessCheck.id")
    files: Mapped[list[CorrectiveFile]] = relationship(
        back_populates="corrective_action", order_by="CorrectiveFile.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def current_check(self) -> EffectivenessCheck | None:
        """The latest effectiveness check, if any."""
        return self.checks[-1] if self.checks else None

    def age(self, today: date) -> int:
        """Days open (until closure)."""
        return ((self.closed_on or today) - self.raised_on).days

    def past_target(self, today: date) -> bool:
        """Still short of its action plan after the target date."""
        return (self.status in TARGET_STATES and self.target_on is not None
                and self.target_on < today)

    def snapshot(self) -> dict:
        """What the audit trail records about a corrective action."""
        return {"reference": self.reference, "source": self.source,
                "finding_id": self.finding_id, "measure_value_id": self.measure_value_id,
                "department_id": self.department_id,
                "grade": self.grade, "problem": self.problem, "status": self.status,
                "verifier_id": self.verifier_id, "target_on": self.target_on}


class WhyStep(db.Model):
    """One step of the 5-why chain: the answer to 'why?' at this depth."""

    __tablename__ = "ca_why_step"
    __table_args__ = (UniqueConstraint("corrective_action_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    corrective_action_id: Mapped[int] = mapped_column(
        ForeignKey("corrective_action.id", ondelete="CASCADE"))
    position: Mapped[int]
    answer: Mapped[str] = mapped_column(Text)

    corrective_action: Mapped[CorrectiveAction] = relationship(back_populates="whys")


class Action(db.Model):
    """One action of the plan: who does what by when, and the evidence that it was done."""

    __tablename__ = "ca_action"
    __table_args__ = (Index("ix_ca_action_status_due_on", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    corrective_action_id: Mapped[int] = mapped_column(ForeignKey("corrective_action.id"),
                                                      index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    due_on: Mapped[date]
    # 12 for "cancelled"; SQLite keeps no length, and its tables made before say 8.
    status: Mapped[str] = mapped_column(String(12).with_variant(String(8), "sqlite"),
                                        default="open")
    done_on: Mapped[date | None]
    done_note: Mapped[str] = mapped_column(Text, default="")
    cancelled_on: Mapped[date | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revision.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    corrective_action: Mapped[CorrectiveAction] = relationship(back_populates="actions")
    owner = relationship("User", lazy="joined", foreign_keys=[owner_id])
    document = relationship("Document")
    revision = relationship("Revision")
    files: Mapped[list[CorrectiveFile]] = relationship(back_populates="action",
                                                       order_by="CorrectiveFile.id")

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about an action."""
        return {"id": self.id, "description": self.description, "owner_id": self.owner_id,
                "due_on": self.due_on, "status": self.status, "done_on": self.done_on,
                "document_id": self.document_id, "revision_id": self.revision_id}

    @property
    def is_open(self) -> bool:
        """Neither done nor cancelled: still to be carried out."""
        return self.status == "open"


class EffectivenessCheck(db.Model):
    """Whether the actions worked, judged by the verifier on or after the due date."""

    __tablename__ = "ca_effectiveness_check"
    __table_args__ = (Index("ix_ca_effectiveness_check_status_due_on", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    corrective_action_id: Mapped[int] = mapped_column(ForeignKey("corrective_action.id"),
                                                      index=True)
    due_on: Mapped[date]
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_on: Mapped[date | None]

    corrective_action: Mapped[CorrectiveAction] = relationship(back_populates="checks")
    verifier = relationship("User", lazy="joined", foreign_keys=[verifier_id])
    files: Mapped[list[CorrectiveFile]] = relationship(back_populates="check",
                                                       order_by="CorrectiveFile.id")


class CorrectiveFile(db.Model):
    """An evidence file of the corrective action, of one of its actions, or of a check."""

    __tablename__ = "ca_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    corrective_action_id: Mapped[int] = mapped_column(ForeignKey("corrective_action.id"),
                                                      index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("ca_action.id"))
    check_id: Mapped[int | None] = mapped_column(ForeignKey("ca_effectiveness_check.id"))
    blob_sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    file_kind: Mapped[str] = mapped_column(String(8))
    file_size: Mapped[int]
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime]

    corrective_action: Mapped[CorrectiveAction] = relationship(back_populates="files")
    action: Mapped[Action | None] = relationship(back_populates="files")
    check: Mapped[EffectivenessCheck | None] = relationship(back_populates="files")
