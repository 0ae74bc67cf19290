"""Changes to the steering committee and the yearly plan: coordinators keep both (the scope's
rules); every change checks the row's version (409) and leaves its before and after."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.core import tenancy
from compliance.core.db import check_version
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.scope import rules
from compliance.steering.models import COMMITTEE_ROLES, PlanTask, SteeringMember


def _stale() -> str:
    return _("Someone else changed this record while you were editing it. Reload the page "
             "and apply your change again.")


def get(user, model, row_id: int):
    """A member or task of the user's organisation, or NotFound."""
    found = db.session.scalar(tenancy.in_organisation(
        user, select(model).where(model.id == row_id), model))
    if found is None:
        raise NotFound(_("No such record."))
    return found


def _user(actor, user_id: int | None, field: str, required: bool = False) -> int | None:
    if not user_id:
        if required:
            raise DomainError(_("Choose who owns the task."), field=field)
        return None
    if db.session.scalar(tenancy.in_organisation(
            actor, select(User.id).where(User.id == user_id, User.active), User)) is None:
        raise DomainError(_("Choose among the listed entries."), field=field)
    return user_id


def _member(actor, *, name: str, position: str, committee_role: str, user_id: int | None,
            decision: str, appointed_on: date | None, left_on: date | None) -> dict:
    if not (name or "").strip():
        raise DomainError(_("Name the member."), field="name")
    if committee_role not in COMMITTEE_ROLES:
        raise DomainError(_("Choose among the listed entries."), field="committee_role")
    if appointed_on and left_on and left_on < appointed_on:
        raise DomainError(_("A member leaves after being appointed."), field="left_on")
    return {"name": name.strip()[:200], "position": (position or "").strip()[:200],
            "committee_role": committee_role, "user_id": _user(actor, user_id, "user_id"),
            "decision": (decision or "").strip()[:200], "appointed_on": appointed_on,
            "left_on": left_on}


def _task(actor, *, year: int, title: str, owner_id: int | None, due_on: date | None,
          done_on: date | None, note: str, today: date) -> dict:
    if not (title or "").strip():
        raise DomainError(_("Say what the task is."), field="title")
    if due_on is None:
        raise DomainError(_("Give the task a due date."), field="due_on")
    if done_on and done_on > today:
        raise DomainError(_("A task cannot be done in the future."), field="done_on")
    return {"year": year, "title": title.strip()[:300],
            "owner_id": _user(actor, owner_id, "owner_id", required=True), "due_on": due_on,
            "done_on": done_on, "note": (note or "").strip()[:5000]}


def add(actor, model, **fields):
    """Add a member or a task."""
    rules.ensure_manage(actor)
    values = _member(actor, **fields) if model is SteeringMember else _task(actor, **fields)
    row = model(**values)
    db.session.add(row)
    db.session.flush()
    record(actor, f"{model.__tablename__}.create", model.__tablename__, row.id,
           after=row.snapshot())
    return row


def edit(actor, row, expected_version: int | None, **fields):
    """Change a member or a task; a stale form gets a conflict."""
    rules.ensure_manage(actor)
    check_version(row, expected_version, _stale())
    values = _member(actor, **fields) if isinstance(row, SteeringMember) \
        else _task(actor, **fields)
    before = row.snapshot()
    for name, value in values.items():
        setattr(row, name, value)
    db.session.flush()
    record(actor, f"{row.__tablename__}.edit", row.__tablename__, row.id, before=before,
           after=row.snapshot())
    return row


def tasks_due_by(until: date) -> list[PlanTask]:
    """Tasks not done whose due date falls by `until` (overdue too), for the scheduler."""
    return list(db.session.scalars(select(PlanTask).where(
        PlanTask.done_on.is_(None), PlanTask.due_on <= until).order_by(PlanTask.due_on)))
