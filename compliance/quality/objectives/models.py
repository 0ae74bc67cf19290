"""Quality objectives per department and year (6.2) with their plan items, progress notes and
year-end evaluation; the organisation's context issues (4.1) and interested parties (4.2).

The quality policy (5.2) is not a table here: it is a controlled document of type "policy"
(compliance/documents), read through `queries.policy_in_force`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped

MEASUREMENTS = ("manual", "measure")
DIRECTIONS = ("higher", "lower")
RESULTS = ("achieved", "partly_achieved", "not_achieved")
# An objective not evaluated yet is "open"; once evaluated, its status is the result.
STATUSES = ("open", *RESULTS)
ISSUE_KINDS = ("internal", "external")
CONTEXT_STATES = ("active", "retired")


class Objective(OrganisationScoped, TimestampMixin, db.Model):
    """A quality objective of one department (or of the whole organisation) for one year."""

    __tablename__ = "quality_objective"
    __table_args__ = (Index("ix_quality_objective_year_department", "year", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    # None: an objective of the organisation as a whole.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    statement_vi: Mapped[str] = mapped_column(Text)
    statement_en: Mapped[str] = mapped_column(Text, default="")
    # How it is measured: "measure" (a process measure's values) or "manual" (a target
    # checked by hand, the current value recorded with its date).
    measurement: Mapped[str] = mapped_column(String(8), default="manual")
    # The process measure it is measured by (a measure is deactivated, never deleted).
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id"), index=True)
    target: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[str] = mapped_column(String(8), default="higher")
    current_value: Mapped[float | None] = mapped_column(Float)
    current_on: Mapped[date | None]
    # The year-end evaluation (9.1.3 feeds it): None until evaluated.
    result: Mapped[str | None] = mapped_column(String(16), index=True)
    evaluation_comment: Mapped[str] = mapped_column(Text, default="")
    evaluated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    evaluated_on: Mapped[date | None]
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("quality_objective.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    department = relationship("Department", lazy="joined")
    evaluated_by = relationship("User", foreign_keys=[evaluated_by_id])
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="objective", order_by=lambda: (PlanItem.due_on, PlanItem.id))
    notes: Mapped[list[ProgressNote]] = relationship(
        back_populates="objective",
        order_by=lambda: (ProgressNote.noted_on.desc(), ProgressNote.id.desc()))

    __mapper_args__ = {"version_id_col": version}

    @property
    def status(self) -> str:
        """"open" until the year-end evaluation, then its result."""
        return self.result or "open"

    def statement(self, locale: str) -> str:
        """The statement in the reader's language (falls back to Vietnamese)."""
        return (self.statement_en or self.statement_vi) if locale == "en" else self.statement_vi

    def snapshot(self) -> dict:
        """What the audit trail records about an objective."""
        return {"year": self.year, "department_id": self.department_id,
                "statement_vi": self.statement_vi, "statement_en": self.statement_en,
                "measurement": self.measurement, "measure_id": self.measure_id,
                "target": self.target, "unit": self.unit, "direction": self.direction,
                "current_value": self.current_value, "current_on": self.current_on,
                "result": self.result, "evaluation_comment": self.evaluation_comment,
                "evaluated_on": self.evaluated_on}


class PlanItem(db.Model):
    """One step of the plan to reach an objective (6.2.2): what, with which resources, who,
    by when, and how its result is evaluated."""

    __tablename__ = "objective_plan_item"
    __table_args__ = (Index("ix_objective_plan_item_done_due_on", "done", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("quality_objective.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    resources: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    due_on: Mapped[date]
    evaluation_method: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[bool] = mapped_column(default=False)
    done_on: Mapped[date | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    objective: Mapped[Objective] = relationship(back_populates="items")
    owner = relationship("User", lazy="joined", foreign_keys=[owner_id])

    __mapper_args__ = {"version_id_col": version}

    def overdue(self, today: date) -> bool:
        """Not done and past its due date."""
        return not self.done and self.due_on < today

    def snapshot(self) -> dict:
        """What the audit trail records about a plan item."""
        return {"id": self.id, "description": self.description, "resources": self.resources,
                "owner_id": self.owner_id, "due_on": self.due_on,
                "evaluation_method": self.evaluation_method, "done": self.done,
                "done_on": self.done_on}


class ProgressNote(db.Model):
    """A dated entry on how an objective is doing, perhaps with the value measured by hand."""

    __tablename__ = "objective_progress_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("quality_objective.id"), index=True)
    noted_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]

    objective: Mapped[Objective] = relationship(back_populates="notes")
    author = relationship("User", lazy="joined")


class ContextIssue(OrganisationScoped, TimestampMixin, db.Model):
    """An internal or external issue relevant to the quality system (4.1)."""

    __tablename__ = "context_issue"
    __table_args__ = (Index("ix_context_issue_status_review_on", "status", "review_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(Text, default="")
    review_on: Mapped[date]
    reviewed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(8), default="active")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about a context issue."""
        return {"kind": self.kind, "description": self.description, "effect": self.effect,
                "review_on": self.review_on, "reviewed_on": self.reviewed_on,
                "status": self.status}


class InterestedParty(OrganisationScoped, TimestampMixin, db.Model):
    """An interested party and its requirements relevant to the quality system (4.2)."""

    __tablename__ = "interested_party"
    __table_args__ = (Index("ix_interested_party_status_review_on", "status", "review_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    requirements: Mapped[str] = mapped_column(Text)
    review_on: Mapped[date]
    reviewed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(8), default="active")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def name(self, locale: str) -> str:
        """The name in the reader's language (falls back to Vietnamese)."""
        return (self.name_en or self.name_vi) if locale == "en" else self.name_vi

    def snapshot(self) -> dict:
        """What the audit trail records about an interested party."""
        return {"name_vi": self.name_vi, "name_en": self.name_en,
                "requirements": self.requirements, "review_on": self.review_on,
                "reviewed_on": self.reviewed_on, "status": self.status}
