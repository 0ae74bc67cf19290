"""Reads for the objective and context pages, the alert jobs, and the dashboard, reports and
PDFs to come: data, never URLs. Functions that take a `user` apply the rule book; the others
answer for the organisation, and their callers apply their own permission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from compliance.auth.models import User
from compliance.core.collation import sorted_people
from compliance.core.extensions import db
from compliance.documents.models import Document, Revision
from compliance.org.models import Department
from compliance.quality.measures.models import Measure
from compliance.quality.objectives import rules
from compliance.quality.objectives.models import (
    STATUSES,
    ContextIssue,
    InterestedParty,
    Objective,
    PlanItem,
    ProgressNote,
)

# The list's department filter for the organisation's own objectives (no department).
ORGANISATION = "org"


def measure_choices(locale: str) -> list[tuple[int, str]]:
    """(id, label) of the process measures an objective may be measured by: the active ones."""
    measures = db.session.scalars(select(Measure).where(Measure.active.is_(True))
                                  .order_by(Measure.code)).all()
    return [(m.id, _measure_label(m, locale)) for m in measures]


def measure_label(measure_id: int | None, locale: str) -> str:
    """The code and name of the measure an objective is measured by ("" for none)."""
    measure = db.session.get(Measure, measure_id) if measure_id else None
    return _measure_label(measure, locale) if measure is not None else ""


def _measure_label(measure: Measure, locale: str) -> str:
    return f"{measure.code} · {measure.name_en if locale == 'en' else measure.name_vi}"


# The quality policy (5.2) -------------------------------------------------------------------

@dataclass
class Policy:
    """The quality policy in force: the controlled document and its effective revision."""

    document: Document
    revision: Revision


def policy_in_force() -> Policy | None:
    """The policy document in force (the latest to come into force, if several are)."""
    row = db.session.execute(
        select(Document, Revision)
        .join(Revision, (Revision.document_id == Document.id) & (Revision.status == "effective"))
        .where(Document.doc_type == "policy", Document.status == "effective")
        .order_by(Revision.effective_date.desc(), Document.id.desc()).limit(1)).first()
    return Policy(*row) if row else None


# Objectives ---------------------------------------------------------------------------------

@dataclass
class Progress:
    """One objective with where it stands: its plan items done and overdue, its latest
    note, and (checked by hand) its target and current value."""

    objective: Objective
    items_total: int
    items_done: int
    items_overdue: int
    latest_note: ProgressNote | None

    @property
    def status(self) -> str:
        """"open", or the year-end result."""
        return self.objective.status


def progress_of(objective: Objective, today: date) -> Progress:
    """Where one objective stands today (its items and notes loaded)."""
    items = objective.items
    return Progress(objective, len(items), sum(i.done for i in items),
                    sum(i.overdue(today) for i in items),
                    objective.notes[0] if objective.notes else None)


def _loaded(stmt):
    return stmt.options(selectinload(Objective.items), selectinload(Objective.notes))


def _in_order(stmt):
    # The organisation's own objectives first, then by department code.
    return (stmt.outerjoin(Department, Department.id == Objective.department_id)
            .order_by(case((Objective.department_id.is_(None), 0), else_=1), Department.code,
                      Objective.id))


def objective_list(user, year: int, department, today: date) -> list[Progress]:
    """The objectives of a year the user may read: of one department (its id), of the
    organisation (ORGANISATION), or all (None)."""
    stmt = rules.visible_objectives(user, _loaded(select(Objective))
                                    .where(Objective.year == year))
    if department == ORGANISATION:
        stmt = stmt.where(Objective.department_id.is_(None))
    elif department is not None:
        stmt = stmt.where(Objective.department_id == department)
    return [progress_of(o, today) for o in db.session.scalars(_in_order(stmt)).unique()]


def department_progress(year: int, department_id: int | None, today: date) -> list[Progress]:
    """One department's objectives of a year (None: the organisation's) with their progress,
    for the dashboard, the six-monthly report and the management-review pack."""
    stmt = _loaded(select(Objective)).where(Objective.year == year)
    stmt = stmt.where(Objective.department_id.is_(None) if department_id is None
                      else Objective.department_id == department_id)
    return [progress_of(o, today) for o in db.session.scalars(stmt.order_by(Objective.id))]


def status_by_department(year: int, department_ids=None) -> dict[int | None, dict[str, int]]:
    """How many objectives of the year each department has in each status ("open",
    "achieved", "partly_achieved", "not_achieved"); key None: the organisation's own.
    Every status is present, zero or not; only departments with objectives appear."""
    status = func.coalesce(Objective.result, "open")
    stmt = (select(Objective.department_id, status, func.count(Objective.id))
            .where(Objective.year == year).group_by(Objective.department_id, status))
    if department_ids is not None:
        stmt = stmt.where(Objective.department_id.in_(set(department_ids)))
    counts: dict[int | None, dict[str, int]] = {}
    for department_id, state, count in db.session.execute(stmt):
        counts.setdefault(department_id, dict.fromkeys(STATUSES, 0))[state] = count
    return counts


def years(user, today: date) -> list[int]:
    """The years that have objectives the user may read, and this year and the next."""
    stmt = rules.visible_objectives(user, select(Objective.year).distinct())
    return sorted(set(db.session.scalars(stmt)) | {today.year, today.year + 1}, reverse=True)


def owner_choices() -> list[User]:
    """People who may carry out a plan item."""
    return sorted_people(db.session.scalars(select(User).where(User.is_person())))


def open_items_of(user_id: int) -> list[PlanItem]:
    """The plan items a person still has to carry out, of objectives not yet evaluated
    (for the home page's work list)."""
    return list(db.session.scalars(
        select(PlanItem).join(Objective, Objective.id == PlanItem.objective_id)
        .options(selectinload(PlanItem.objective))
        .where(PlanItem.owner_id == user_id, PlanItem.done.is_(False),
               Objective.result.is_(None)).order_by(PlanItem.due_on, PlanItem.id)))


def _open_items():
    return (select(PlanItem).join(Objective, Objective.id == PlanItem.objective_id)
            .options(selectinload(PlanItem.objective))
            .where(PlanItem.done.is_(False), Objective.result.is_(None)))


def items_due_within(today: date, days: int) -> list[PlanItem]:
    """Open plan items due from today to `days` ahead (the alert job's reminders)."""
    return list(db.session.scalars(_open_items().where(
        PlanItem.due_on >= today, PlanItem.due_on <= today + timedelta(days=days))
        .order_by(PlanItem.due_on, PlanItem.id)))


def overdue_items(today: date) -> list[PlanItem]:
    """Open plan items past their due date, of objectives not yet evaluated."""
    return list(db.session.scalars(_open_items().where(PlanItem.due_on < today)
                                   .order_by(PlanItem.due_on, PlanItem.id)))


# Context and interested parties -------------------------------------------------------------

def context_issues(active_only: bool = False) -> list[ContextIssue]:
    """Internal issues first, then external; current ones before those no longer relevant."""
    stmt = select(ContextIssue)
    if active_only:
        stmt = stmt.where(ContextIssue.status == "active")
    return list(db.session.scalars(stmt.order_by(ContextIssue.status, ContextIssue.kind.desc(),
                                                 ContextIssue.id)))


def interested_parties(active_only: bool = False) -> list[InterestedParty]:
    """Interested parties, current ones first, by name."""
    stmt = select(InterestedParty)
    if active_only:
        stmt = stmt.where(InterestedParty.status == "active")
    return list(db.session.scalars(stmt.order_by(InterestedParty.status,
                                                 InterestedParty.name_vi,
                                                 InterestedParty.id)))


def reviews_due_by(last: date) -> tuple[list[ContextIssue], list[InterestedParty]]:
    """Current issues and parties whose review date is on or before `last` (the job)."""
    issues = db.session.scalars(select(ContextIssue).where(
        ContextIssue.status == "active", ContextIssue.review_on <= last)
        .order_by(ContextIssue.review_on, ContextIssue.id))
    parties = db.session.scalars(select(InterestedParty).where(
        InterestedParty.status == "active", InterestedParty.review_on <= last)
        .order_by(InterestedParty.review_on, InterestedParty.id))
    return list(issues), list(parties)


@dataclass
class Change:
    """An issue or a party added or changed since a moment (management review input 9.3.2 b)."""

    kind: str  # "issue" or "party"
    record: ContextIssue | InterestedParty
    added: bool
    at: datetime


def context_changes_since(since: datetime) -> list[Change]:
    """Issues and parties added or changed since `since` (UTC), the latest first."""
    changes = []
    for kind, model in (("issue", ContextIssue), ("party", InterestedParty)):
        for row in db.session.scalars(select(model).where(
                or_(model.created_at >= since, model.updated_at >= since))):
            changes.append(Change(kind, row, row.created_at >= since,
                                  max(row.created_at, row.updated_at)))
    return sorted(changes, key=lambda c: (c.at, c.kind, c.record.id), reverse=True)
