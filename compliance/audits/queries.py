"""Reads: the programme's coverage grid, which departments are due, audit lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from compliance.audits import rules
from compliance.audits.models import Audit, AuditProgramme, Finding
from compliance.auth.models import User, UserRole
from compliance.capa.models import CorrectiveAction
from compliance.core.collation import sorted_people
from compliance.core.extensions import db
from compliance.org.models import Clause, Department

NEVER_AUDITED_MONTHS = 24
ACTIVE = ("planned", "in_progress")
DONE = ("reported", "closed")


def audit_list(user, programme_id: int | None = None) -> list[Audit]:
    """Audits the user may read (rules.visible_audits), optionally of one programme."""
    query = select(Audit).options(selectinload(Audit.team)).order_by(Audit.planned_start)
    if programme_id is not None:
        query = query.where(Audit.programme_id == programme_id)
    return list(db.session.scalars(rules.visible_audits(user, query)))


def due_date(audit: Audit):
    """The date an audit is waited on by: its start while planned, its end while it runs
    (its report follows); None once reported, closed or cancelled."""
    return {"planned": audit.planned_start, "in_progress": audit.planned_end}.get(audit.status)


def auditors() -> list[User]:
    """Active people who may be named to an audit team, by name."""
    return sorted_people(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.is_person(), UserRole.role.in_(rules.AUDITOR_ROLES)).distinct()))


def programmes() -> list[AuditProgramme]:
    """Every programme, newest period first."""
    return list(db.session.scalars(select(AuditProgramme)
                                   .order_by(AuditProgramme.period_start.desc())))


def grid_clauses() -> list[Clause]:
    """The columns of the coverage grid: clauses one level below the top (4.1 … 10.3)."""
    return [c for c in db.session.scalars(select(Clause).order_by(Clause.sort_key))
            if c.depth == 1]


def _covers(scope_number: str, column: str) -> bool:
    """An audit of clause 8 covers 8.5; one of 8.5.1 covers 8.5 too."""
    return column == scope_number or column.startswith(scope_number + ".") or \
        scope_number.startswith(column + ".")


@dataclass
class Grid:
    """Departments × clauses with a state per cell, and counts per state."""

    departments: list
    clauses: list
    cells: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)


def coverage(programme: AuditProgramme) -> Grid:
    """planned / audited / findings / not covered, for every department and clause column."""
    departments = list(db.session.scalars(select(Department).where(Department.active.is_(True))
                                          .order_by(Department.code)))
    columns = grid_clauses()
    audits = db.session.scalars(select(Audit).where(Audit.programme_id == programme.id,
                                                    Audit.status != "cancelled")
                                .options(selectinload(Audit.clauses),
                                         selectinload(Audit.findings))).all()
    rank = {"none": 0, "planned": 1, "audited": 2, "findings": 3}
    cells = {(d.id, c.number): "none" for d in departments for c in columns}
    for audit in audits:
        for column in columns:
            key = (audit.department_id, column.number)
            if key not in cells or not any(_covers(c.number, column.number)
                                           for c in audit.clauses):
                continue
            state = "audited" if audit.status in DONE else "planned"
            if any(f.clause is not None and _covers(f.clause.number, column.number)
                   for f in audit.findings):
                state = "findings"
            if rank[state] > rank[cells[key]]:
                cells[key] = state
    counts = {state: sum(1 for v in cells.values() if v == state) for state in rank}
    return Grid(departments, columns, cells, counts)


@dataclass
class Suggestion:
    """A department that is due for audit, and the reasons."""

    department: Department
    score: int
    months_since: int | None
    majors: int
    minors: int
    open_actions: int = 0


def due_departments(programme: AuditProgramme, today: date) -> list[Suggestion]:
    """Departments not yet planned in this programme, most due first, with the reasons."""
    # A cancelled audit leaves its department still to be audited.
    planned = set(db.session.scalars(select(Audit.department_id)
                                     .where(Audit.programme_id == programme.id,
                                            Audit.status != "cancelled")))
    suggestions = []
    for department in db.session.scalars(select(Department).where(Department.active.is_(True))):
        if department.id in planned:
            continue
        last = db.session.scalar(
            select(Audit).where(Audit.department_id == department.id,
                                Audit.status.in_(DONE))
            .order_by(Audit.reported_at.desc()).limit(1))
        months = None
        majors = minors = 0
        if last is not None:
            when = last.reported_at.date()
            months = (today.year - when.year) * 12 + today.month - when.month
            grades = db.session.scalars(select(Finding.grade)
                                        .where(Finding.audit_id == last.id)).all()
            majors, minors = grades.count("major"), grades.count("minor")
        open_actions = _open_corrective_actions(department.id)
        score = (NEVER_AUDITED_MONTHS if months is None else months) + 6 * majors + 2 * minors \
            + 3 * open_actions
        suggestions.append(Suggestion(department, score, months, majors, minors, open_actions))
    return sorted(suggestions, key=lambda s: (-s.score, s.department.code))


def _open_corrective_actions(department_id: int) -> int:
    """Corrective actions of the department that are not closed yet."""
    return db.session.scalar(select(func.count()).select_from(CorrectiveAction).where(
        CorrectiveAction.department_id == department_id,
        CorrectiveAction.status != "closed")) or 0


# For the alert jobs.

def starting_between(first: date, last: date) -> list[Audit]:
    """Planned audits starting from first to last (inclusive)."""
    return list(db.session.scalars(
        select(Audit).options(selectinload(Audit.team))
        .where(Audit.status == "planned", Audit.planned_start >= first,
               Audit.planned_start <= last)
        .order_by(Audit.planned_start, Audit.id)))


def reports_late(ended_by: date) -> list[Audit]:
    """Audits that ended on or before a date and have no signed report yet."""
    return list(db.session.scalars(
        select(Audit).where(Audit.status.in_(("planned", "in_progress")),
                            Audit.planned_end <= ended_by)
        .order_by(Audit.planned_end, Audit.id)))


def _open_findings():
    """Findings of signed reports that their department has not answered yet."""
    return (select(Finding).join(Audit, Audit.id == Finding.audit_id)
            .options(contains_eager(Finding.audit))
            .where(Audit.status == "reported", Finding.responded_at.is_(None)))


def responses_overdue(today: date) -> list[Finding]:
    """Findings whose response due date has passed without an answer."""
    return list(db.session.scalars(
        _open_findings().where(Finding.response_due_on < today)
        .order_by(Finding.response_due_on, Finding.id)))


def findings_to_answer(department_ids, limit: int = 200) -> list[Finding]:
    """The unanswered findings of signed reports on these departments, by due date."""
    if not department_ids:
        return []
    return list(db.session.scalars(
        _open_findings().where(Audit.department_id.in_(list(department_ids)))
        .order_by(Finding.response_due_on, Finding.id).limit(limit)))


# For the periodic reports (compliance.reports).

def reported_between(start_instant, end_instant, department_id: int | None = None) -> list[Audit]:
    """Audits whose report was signed in [start, end), with their findings."""
    query = (select(Audit).options(selectinload(Audit.findings))
             .where(Audit.status.in_(DONE), Audit.reported_at >= start_instant,
                    Audit.reported_at < end_instant)
             .order_by(Audit.reported_at, Audit.id))
    if department_id is not None:
        query = query.where(Audit.department_id == department_id)
    return list(db.session.scalars(query))
