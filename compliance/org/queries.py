"""Reads for lists and choices."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from compliance.extensions import db
from compliance.org.models import Department, Process


def departments(active_only: bool = False) -> list[Department]:
    """Departments ordered by code."""
    query = select(Department).options(selectinload(Department.memberships))
    if active_only:
        query = query.where(Department.active.is_(True))
    return list(db.session.scalars(query.order_by(Department.code)))


def processes(department_id: int | None = None) -> list[Process]:
    """Processes ordered by code, optionally of one department."""
    query = select(Process).options(selectinload(Process.department))
    if department_id is not None:
        query = query.where(Process.department_id == department_id)
    return list(db.session.scalars(query.order_by(Process.code)))


def department_choices(locale: str, blank: str | None = None,
                       keep: int | None = None) -> list[tuple[int, str]]:
    """(id, label) pairs of active departments for select fields, plus the one to keep.

    keep is the record's current department: offered even when inactive, or a record that
    belongs to a closed department could not be saved without moving it.
    """
    choices = [(d.id, f"{d.code} — {d.name(locale)}") for d in departments()
               if d.active or d.id == keep]
    return ([(0, blank)] if blank is not None else []) + choices
