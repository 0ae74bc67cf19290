"""The risk register: the organisation's scale and bands, risks and opportunities, their
treatment actions, their links to findings and corrective actions, and the answers to "does
the risk register need updating?" after a corrective action closed (10.2.1 e)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped, organisation_for_insert


class RiskScale(OrganisationScoped, db.Model):
    """An organisation's grid (3×3 or 5×5); absent until its coordinator first sets it."""

    __tablename__ = "risk_scale"
    __table_args__ = (UniqueConstraint("organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class RiskBand(OrganisationScoped, db.Model):
    """The scores (inclusive) that make one level on an organisation's scale."""

    __tablename__ = "risk_band"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"),
                                                 primary_key=True,
                                                 default=organisation_for_insert)
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    low: Mapped[int]
    high: Mapped[int]


class Risk(OrganisationScoped, TimestampMixin, db.Model):
    """A risk or an opportunity of a department (and, optionally, of one of its processes),
    rated before treatment and, once treated, after it (the residual rating)."""

    __tablename__ = "risk"
    __table_args__ = (Index("ix_risk_department_status", "department_id", "status"),
                      Index("ix_risk_status_review_on", "status", "review_on"),
                      UniqueConstraint("organisation_id", "reference"))

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    process_id: Mapped[int | None] = mapped_column(ForeignKey("process.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="risk")
    description: Mapped[str] = mapped_column(Text)
    cause: Mapped[str] = mapped_column(Text, default="")
    consequence: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[int]
    impact: Mapped[int]
    # likelihood × impact, kept for the queries that group by it (set by the services).
    score: Mapped[int]
    residual_likelihood: Mapped[int | None]
    residual_impact: Mapped[int | None]
    residual_score: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default="open")
    status_note: Mapped[str] = mapped_column(Text, default="")
    review_on: Mapped[date | None]
    reviewed_on: Mapped[date | None]
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    raised_on: Mapped[date]
    version: Mapped[int] = mapped_column(default=1)

    department = relationship("Department", lazy="joined")
    process = relationship("Process", lazy="joined")
    actions: Mapped[list[RiskAction]] = relationship(back_populates="risk",
                                                     order_by="RiskAction.id")
    links: Mapped[list[RiskLink]] = relationship(back_populates="risk", order_by="RiskLink.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def after_score(self) -> int:
        """The score after treatment: the residual one once rated, else the score before
        (an untreated risk keeps its level)."""
        return self.residual_score if self.residual_score is not None else self.score

    def review_overdue(self, today: date) -> bool:
        """Not closed and past its review date."""
        return self.status != "closed" and self.review_on is not None and self.review_on < today

    def snapshot(self) -> dict:
        """What the audit trail records about a risk."""
        return {"reference": self.reference, "department_id": self.department_id,
                "process_id": self.process_id, "kind": self.kind,
                "description": self.description, "cause": self.cause,
                "consequence": self.consequence, "likelihood": self.likelihood,
                "impact": self.impact, "score": self.score,
                "residual_likelihood": self.residual_likelihood,
                "residual_impact": self.residual_impact, "residual_score": self.residual_score,
                "status": self.status, "review_on": self.review_on}


class RiskAction(db.Model):
    """A treatment action: who does what by when, and when it was done."""

    __tablename__ = "risk_action"
    __table_args__ = (Index("ix_risk_action_status_due_on", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(8), default="open")
    done_on: Mapped[date | None]
    done_note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    risk: Mapped[Risk] = relationship(back_populates="actions")
    owner = relationship("User", lazy="joined", foreign_keys=[owner_id])

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about a treatment action."""
        return {"id": self.id, "description": self.description, "owner_id": self.owner_id,
                "due_on": self.due_on, "status": self.status, "done_on": self.done_on,
                "done_note": self.done_note}


class RiskLink(db.Model):
    """A finding or a corrective action that changed the risk (one of the two is set)."""

    __tablename__ = "risk_link"
    __table_args__ = (UniqueConstraint("risk_id", "finding_id"),
                      UniqueConstraint("risk_id", "corrective_action_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id"), index=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id"), index=True)
    corrective_action_id: Mapped[int | None] = mapped_column(ForeignKey("corrective_action.id"),
                                                             index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    added_on: Mapped[date]

    risk: Mapped[Risk] = relationship(back_populates="links")
    finding = relationship("Finding")
    corrective_action = relationship("CorrectiveAction")


class RiskCaReview(db.Model):
    """The answer, once per closed corrective action, to "does the risk register need
    updating?": a risk updated (and linked to the corrective action), or no change needed."""

    __tablename__ = "risk_ca_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    corrective_action_id: Mapped[int] = mapped_column(ForeignKey("corrective_action.id"),
                                                      unique=True)
    outcome: Mapped[str] = mapped_column(String(16))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_on: Mapped[date]

    corrective_action = relationship("CorrectiveAction")
    risk = relationship("Risk")
    recorded_by = relationship("User")
