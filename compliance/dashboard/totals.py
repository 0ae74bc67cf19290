"""For coordinators: what is due or overdue in each department, one grouped query per figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from compliance.audits.models import Audit
from compliance.capa.models import Action, CorrectiveAction
from compliance.core.extensions import db
from compliance.documents.models import Acknowledgement, Document, Revision
from compliance.documents.queries import review_overdue
from compliance.org.models import Department

FIGURES = ("reviews_overdue", "readings_outstanding", "cas_open", "actions_overdue",
           "audits_upcoming", "reports_late")


@dataclass
class DepartmentTotals:
    """One row of the coordinator's table."""

    department: Department
    figures: dict[str, int]

    @property
    def attention(self) -> int:
        """Overdue things, which sort the table."""
        return (self.figures["reviews_overdue"] + self.figures["actions_overdue"]
                + self.figures["reports_late"])


def _grouped(query) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def per_department(today: date, now: datetime) -> list[DepartmentTotals]:
    """Every active department with its figures, the ones needing attention first."""
    figures = {
        "reviews_overdue": _grouped(
            select(Document.department_id, func.count())
            .where(review_overdue(today))
            .group_by(Document.department_id)),
        "readings_outstanding": _grouped(
            select(Document.department_id, func.count())
            .select_from(Acknowledgement)
            .join(Revision, Revision.id == Acknowledgement.revision_id)
            .join(Document, Document.id == Revision.document_id)
            .where(Acknowledgement.acknowledged_at.is_(None), Revision.status == "effective",
                   Acknowledgement.requested_at <= now - timedelta(days=7))
            .group_by(Document.department_id)),
        "cas_open": _grouped(
            select(CorrectiveAction.department_id, func.count())
            .where(CorrectiveAction.status != "closed")
            .group_by(CorrectiveAction.department_id)),
        "actions_overdue": _grouped(
            select(CorrectiveAction.department_id, func.count())
            .select_from(Action)
            .join(CorrectiveAction, CorrectiveAction.id == Action.corrective_action_id)
            .where(Action.status == "open", Action.due_on < today)
            .group_by(CorrectiveAction.department_id)),
        "audits_upcoming": _grouped(
            select(Audit.department_id, func.count())
            .where(Audit.status == "planned", Audit.planned_start >= today,
                   Audit.planned_start <= today + timedelta(days=30))
            .group_by(Audit.department_id)),
        "reports_late": _grouped(
            select(Audit.department_id, func.count())
            .where(Audit.status.in_(("planned", "in_progress")),
                   Audit.planned_end < today - timedelta(days=14))
            .group_by(Audit.department_id)),
    }
    departments = db.session.scalars(
        select(Department).where(Department.active.is_(True)).order_by(Department.code))
    rows = [DepartmentTotals(d, {name: values.get(d.id, 0) for name, values in figures.items()})
            for d in departments]
    rows.sort(key=lambda row: -row.attention)
    return rows
