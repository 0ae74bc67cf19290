"""Coordinator's notes on a six-monthly report, management reviews and their actions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped

ACTION_STATES = ("open", "done", "cancelled")
ORGANISATION = "org"


def scope_key(department_id: int | None) -> str:
    """'org' for the whole organisation, 'D<id>' for a department (one key, so the unique
    constraint holds on PostgreSQL too, where NULLs never collide)."""
    return ORGANISATION if department_id is None else f"D{department_id}"


class ReportNote(OrganisationScoped, TimestampMixin, db.Model):
    """Shortcomings and planned actions the coordinator writes into a six-monthly report."""

    __tablename__ = "report_note"
    __table_args__ = (UniqueConstraint("organisation_id", "scope", "year", "half"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    year: Mapped[int]
    half: Mapped[int]
    shortcomings: Mapped[str] = mapped_column(Text, default="")
    planned_actions: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    updated_by = relationship("User")

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about the notes."""
        return {"scope": self.scope, "year": self.year, "half": self.half,
                "shortcomings": self.shortcomings, "planned_actions": self.planned_actions}


class ManagementReview(OrganisationScoped, TimestampMixin, db.Model):
    """A management review meeting (clause 9.3): when, which period, who chaired, outcome."""

    __tablename__ = "management_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    chair: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    actions: Mapped[list[ReviewAction]] = relationship(
        back_populates="review", order_by="ReviewAction.id")

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about a review."""
        return {"held_on": self.held_on, "period_start": self.period_start,
                "period_end": self.period_end, "chair": self.chair, "summary": self.summary}


class ReviewAction(db.Model):
    """A decision of a management review: what, who, by when, and how it ended."""

    __tablename__ = "management_review_action"
    __table_args__ = (Index("ix_management_review_action_status_due_on", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("management_review.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="open")
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    review: Mapped[ManagementReview] = relationship(back_populates="actions")
    owner = relationship("User", lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about an action."""
        return {"review_id": self.review_id, "description": self.description,
                "owner_id": self.owner_id, "due_on": self.due_on, "status": self.status,
                "outcome_note": self.outcome_note, "closed_on": self.closed_on}
