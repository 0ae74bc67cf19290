"""What is due or overdue in each department, one grouped query per figure: the grid of the
home page (departments × what needs attention) for coordinators, and for heads their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from compliance.audits.models import Audit, Finding
from compliance.capa.models import Action, CorrectiveAction
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.documents.queries import review_overdue
from compliance.org import rules as org_rules
from compliance.org.models import Department


def _grouped(query) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def departments(user, scope: set[int] | None) -> list[Department]:
    """The active departments the user may see (of their organisation), within the scope."""
    stmt = org_rules.visible_departments(user, select(Department).where(
        Department.active.is_(True)).order_by(Department.code))
    if scope is not None:
        stmt = stmt.where(Department.id.in_(scope or {-1}))
    return list(db.session.scalars(stmt))


# The home page's grid: its columns, and how near a certificate's end starts to count.
GRID = ("certificate", "reviews_overdue", "actions_overdue", "findings_open")
CERTIFICATE_WARNING_DAYS = 90
NONE, SOON, OVERDUE = 0, 1, 2


@dataclass
class Cell:
    """One figure of a department: its count (or the certificate's last day) and how urgent
    (NONE, SOON, OVERDUE): the colour of the cell, which its text also says."""

    count: int = 0
    level: int = NONE
    day: date | None = None


@dataclass
class GridRow:
    """A department that needs attention, and its cells by column."""

    department: Department
    cells: dict[str, Cell]

    @property
    def weight(self) -> int:
        """How much needs attention: sorts the grid, the most urgent first."""
        return sum(cell.level * 100 + cell.count for cell in self.cells.values())


def _findings_open(today: date) -> tuple[dict[int, int], dict[int, int]]:
    """Findings not answered yet, per audited department: all of them, and those past the
    date the answer was due."""
    base = (select(Audit.department_id, func.count()).select_from(Finding)
            .join(Audit, Audit.id == Finding.audit_id).where(Finding.responded_at.is_(None))
            .group_by(Audit.department_id))
    return _grouped(base), _grouped(base.where(Finding.response_due_on < today))


def _certificate(department: Department, today: date) -> Cell:
    day = department.certificate_expires_on
    if day is None or day > today + timedelta(days=CERTIFICATE_WARNING_DAYS):
        return Cell(day=day)
    return Cell(count=1, level=OVERDUE if day < today else SOON, day=day)


def attention_grid(user, today: date, scope: set[int] | None = None) -> list[GridRow]:
    """The departments (of the scope) where something needs attention, with what: the
    certificate ending within 90 days (or ended), reviews and action items overdue, findings
    not answered (overdue once past their date); the most urgent first."""
    reviews = _grouped(select(Document.department_id, func.count())
                       .where(review_overdue(today)).group_by(Document.department_id))
    actions = _grouped(select(CorrectiveAction.department_id, func.count()).select_from(Action)
                       .join(CorrectiveAction, CorrectiveAction.id == Action.corrective_action_id)
                       .where(Action.status == "open", Action.due_on < today)
                       .group_by(CorrectiveAction.department_id))
    findings, findings_late = _findings_open(today)
    rows = []
    for department in departments(user, scope):
        key = department.id
        cells = {
            "certificate": _certificate(department, today),
            "reviews_overdue": _counted(reviews.get(key, 0), OVERDUE),
            "actions_overdue": _counted(actions.get(key, 0), OVERDUE),
            "findings_open": _counted(findings.get(key, 0),
                                      OVERDUE if findings_late.get(key) else SOON),
        }
        if any(cell.level for cell in cells.values()):
            rows.append(GridRow(department, cells))
    rows.sort(key=lambda row: -row.weight)
    return rows


def _counted(count: int, level: int) -> Cell:
    return Cell(count=count, level=level if count else NONE)
