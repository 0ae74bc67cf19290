"""The steering committee's members and the yearly plan's tasks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped

# Trưởng ban, Phó Trưởng ban, Thành viên, Thư ký.
COMMITTEE_ROLES = ("head", "deputy", "member", "secretary")


class SteeringMember(OrganisationScoped, TimestampMixin, db.Model):
    """A member of the ISO steering committee, appointed (and later relieved) by decisions."""

    __tablename__ = "steering_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    committee_role: Mapped[str] = mapped_column(String(16), default="member")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # The decision that appointed the member ("Quyết định số 12/QĐ-UBND") and its date; a
    # later decision that changes the committee is recorded on the member it concerns.
    decision: Mapped[str] = mapped_column(String(200), default="")
    appointed_on: Mapped[date | None]
    left_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    user = relationship("User")

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about a member."""
        return {"name": self.name, "position": self.position,
                "committee_role": self.committee_role, "user_id": self.user_id,
                "decision": self.decision, "appointed_on": self.appointed_on,
                "left_on": self.left_on}


class PlanTask(OrganisationScoped, TimestampMixin, db.Model):
    """A task of the year's plan for maintaining the quality system."""

    __tablename__ = "steering_plan_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    due_on: Mapped[date] = mapped_column(index=True)
    done_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    owner = relationship("User")

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about a task."""
        return {"year": self.year, "title": self.title, "owner_id": self.owner_id,
                "due_on": self.due_on, "done_on": self.done_on, "note": self.note}
