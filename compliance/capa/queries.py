"""Reads: the register with its filters, and what falls due (for pages and the alert jobs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, exists, or_, select
from sqlalchemy.orm import selectinload

from compliance.auth.models import User, UserRole
from compliance.capa import rules
from compliance.capa.models import TARGET_STATES, Action, CorrectiveAction, EffectivenessCheck
from compliance.core.collation import sorted_people
from compliance.core.extensions import db
from compliance.documents.models import Document


@dataclass
class Filters:
    """What the register is narrowed to."""

    department_id: int | None = None
    source: str | None = None
    grade: str | None = None
    status: str | None = None
    overdue: bool = False


def _overdue_clause(today: date):
    late_action = exists().where(Action.corrective_action_id == CorrectiveAction.id,
                                 Action.status == "open", Action.due_on < today)
    late_check = exists().where(EffectivenessCheck.corrective_action_id == CorrectiveAction.id,
                                EffectivenessCheck.status == "pending",
                                EffectivenessCheck.due_on < today)
    past_target = (CorrectiveAction.status.in_(TARGET_STATES)
                   & (CorrectiveAction.target_on < today))
    return or_(late_action, late_check, past_target)


def register(user, filters: Filters, today: date) -> list[CorrectiveAction]:
    """Corrective actions the user may see; a head's own department comes first."""
    query = filtered(user, filters, today)
    own = user.department_ids("department_head")
    first = case((CorrectiveAction.department_id.in_(own), 0), else_=1) if own else None
    order = ([first] if first is not None else []) + [CorrectiveAction.raised_on.desc(),
                                                      CorrectiveAction.id.desc()]
    return list(db.session.scalars(query.order_by(*order)))


def filtered(user, filters: Filters, today: date):
    """A select of the corrective actions the user may see, narrowed by the filters (the
    register page's and the API's), unordered."""
    query = select(CorrectiveAction).options(selectinload(CorrectiveAction.actions),
                                             selectinload(CorrectiveAction.checks),
                                             selectinload(CorrectiveAction.closed_by))
    query = rules.visible_corrective_actions(user, query)
    if filters.department_id:
        query = query.where(CorrectiveAction.department_id == filters.department_id)
    if filters.source:
        query = query.where(CorrectiveAction.source == filters.source)
    if filters.grade:
        query = query.where(CorrectiveAction.grade == filters.grade)
    if filters.status:
        query = query.where(CorrectiveAction.status == filters.status)
    if filters.overdue:
        query = query.where(CorrectiveAction.status != "closed", _overdue_clause(today))
    return query


def is_overdue(ca: CorrectiveAction, today: date) -> bool:
    """Past its target date without an action plan, or an open action or a pending check
    past its due date."""
    if ca.status == "closed":
        return False
    return (ca.past_target(today)
            or any(a.status == "open" and a.due_on < today for a in ca.actions)
            or any(c.status == "pending" and c.due_on < today for c in ca.checks))


def verifier_choices() -> list[User]:
    """People who may be named verifier."""
    return sorted_people(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.is_person(), UserRole.role.in_(rules.VERIFIER_ROLES)).distinct()))


def owner_choices() -> list[User]:
    """People who may own an action: every active user."""
    return sorted_people(db.session.scalars(select(User).where(User.is_person())))


def revisable_documents() -> list[Document]:
    """Documents in force, whose revision an action may ask for."""
    return list(db.session.scalars(select(Document).where(Document.status == "effective")
                                   .order_by(Document.code)))


# For the alert jobs: each reads a range of the (status, due_on) index, so its cost grows with
# the rows due, not with the table. Actions and checks carry no organisation of their own:
# each is joined to its corrective action, which the acting organisation limits (the jobs run
# once per organisation; without the join one organisation's run read every other's).

def actions_due_within(today: date, days: int) -> list[Action]:
    """Open actions due from today to today + days (inclusive)."""
    return list(db.session.scalars(
        select(Action).join(Action.corrective_action)
        .where(Action.status == "open", Action.due_on >= today,
               Action.due_on <= today + timedelta(days=days))
        .order_by(Action.due_on, Action.id)))


def overdue_actions(today: date) -> list[Action]:
    """Open actions whose due date has passed."""
    return list(db.session.scalars(
        select(Action).join(Action.corrective_action)
        .where(Action.status == "open", Action.due_on < today)
        .order_by(Action.due_on, Action.id)))


def targets_due_by(day: date) -> list[CorrectiveAction]:
    """Corrective actions still without an action plan whose target date is on or before day
    (overdue ones included), from the (status, target_on) index."""
    return list(db.session.scalars(
        select(CorrectiveAction).where(CorrectiveAction.status.in_(TARGET_STATES),
                                       CorrectiveAction.target_on <= day)
        .order_by(CorrectiveAction.target_on, CorrectiveAction.id)))


def checks_due(today: date, days: int = 0) -> list[EffectivenessCheck]:
    """Pending effectiveness checks due by today + days (overdue ones included)."""
    return list(db.session.scalars(
        select(EffectivenessCheck).join(EffectivenessCheck.corrective_action)
        .where(EffectivenessCheck.status == "pending",
               EffectivenessCheck.due_on <= today + timedelta(days=days))
        .order_by(EffectivenessCheck.due_on, EffectivenessCheck.id)))


def for_findings(finding_ids) -> dict[int, CorrectiveAction]:
    """The corrective action raised for each of these findings (finding id → action)."""
    ids = list(finding_ids)
    if not ids:
        return {}
    rows = db.session.scalars(select(CorrectiveAction)
                              .where(CorrectiveAction.finding_id.in_(ids)))
    return {ca.finding_id: ca for ca in rows}


# For the periodic reports (compliance.reports): counts by raising and closing dates, and
# what was overdue on a given morning (actions not done by then, checks not recorded by then).

def _in_department(query, department_id: int | None):
    if department_id is not None:
        query = query.where(CorrectiveAction.department_id == department_id)
    return query


def opened_between(start: date, end: date, department_id: int | None = None) -> list:
    """Corrective actions raised from start to end (inclusive)."""
    return list(db.session.scalars(_in_department(
        select(CorrectiveAction).where(CorrectiveAction.raised_on >= start,
                                       CorrectiveAction.raised_on <= end)
        .order_by(CorrectiveAction.raised_on, CorrectiveAction.id), department_id)))


def closed_between(start: date, end: date, department_id: int | None = None) -> list:
    """Corrective actions closed from start to end (inclusive)."""
    return list(db.session.scalars(_in_department(
        select(CorrectiveAction).where(CorrectiveAction.closed_on >= start,
                                       CorrectiveAction.closed_on <= end)
        .order_by(CorrectiveAction.closed_on, CorrectiveAction.id), department_id)))


def overdue_at(as_of: date, department_id: int | None = None) -> list:
    """Corrective actions open on the morning of as_of with an action or a check late then."""
    late_action = exists().where(
        Action.corrective_action_id == CorrectiveAction.id, Action.due_on < as_of,
        or_(Action.done_on.is_(None), Action.done_on >= as_of),
        or_(Action.cancelled_on.is_(None), Action.cancelled_on >= as_of))
    late_check = exists().where(
        EffectivenessCheck.corrective_action_id == CorrectiveAction.id,
        EffectivenessCheck.due_on < as_of,
        or_(EffectivenessCheck.recorded_on.is_(None), EffectivenessCheck.recorded_on >= as_of))
    return list(db.session.scalars(_in_department(
        select(CorrectiveAction).where(
            CorrectiveAction.raised_on < as_of,
            or_(CorrectiveAction.closed_on.is_(None), CorrectiveAction.closed_on >= as_of),
            or_(late_action, late_check))
        .order_by(CorrectiveAction.raised_on, CorrectiveAction.id), department_id)))
