"""Reads for lists and choices."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from compliance.auth.models import Membership, User
from compliance.core.collation import sort_key, sorted_people
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.org import rules
from compliance.org.models import Department, Process


def departments(active_only: bool = False, *, user=None) -> list[Department]:
    """Departments ordered by code (only those the user may see, when one is named)."""
    query = select(Department).options(selectinload(Department.memberships))
    if active_only:
        query = query.where(Department.active.is_(True))
    if user is not None:
        query = rules.visible_departments(user, query)
    return list(db.session.scalars(query.order_by(Department.code)))


def processes(department_id: int | None = None, *, user=None) -> list[Process]:
    """Processes ordered by code, optionally of one department (and only those the user may
    see, when one is named)."""
    query = select(Process).options(selectinload(Process.department))
    if department_id is not None:
        query = query.where(Process.department_id == department_id)
    if user is not None:
        query = rules.visible_processes(user, query)
    return list(db.session.scalars(query.order_by(Process.code)))


def active_users() -> list[User]:
    """Active accounts in the order of a Vietnamese list of people (core.collation), e.g. to
    choose a process owner from."""
    return sorted_people(db.session.scalars(select(User).where(User.is_person())))


def department_choices(locale: str, blank: str | None = None,
                       keep: int | None = None) -> list[tuple[int, str]]:
    """(id, label) pairs of active departments for select fields, by name, plus the one to
    keep.

    keep is the record's current department: offered even when inactive, or a record that
    belongs to a closed department could not be saved without moving it.
    """
    # Not departments(): a label needs no memberships, and most forms show this list.
    # Sorted by the name in the reader's language, as a Vietnamese reader sorts (Đ after D).
    rows = [d for d in db.session.scalars(select(Department)) if d.active or d.id == keep]
    rows.sort(key=lambda d: (sort_key(d.name(locale)), d.code))
    # The name leads, since the list is in its order; the code tells namesakes apart.
    choices = [(d.id, f"{d.name(locale)} ({d.code})") for d in rows]
    return ([(0, blank)] if blank is not None else []) + choices


def certificates_expiring(first, last) -> list[Department]:
    """Active departments whose ISO certificate expires from first to last (inclusive)."""
    return list(db.session.scalars(
        select(Department).where(Department.active.is_(True),
                                 Department.certificate_expires_on >= first,
                                 Department.certificate_expires_on <= last)
        .order_by(Department.certificate_expires_on, Department.code)))


def heads_by_department(department_ids) -> dict[int, list[int]]:
    """The user ids heading each of these departments (active users only)."""
    heads: dict[int, list[int]] = {}
    rows = db.session.execute(
        select(Membership.department_id, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.department_id.in_(set(department_ids)),
               Membership.role == "department_head", User.is_person()))
    for department_id, user_id in rows:
        heads.setdefault(department_id, []).append(user_id)
    return heads


def departments_of_users(user_ids) -> dict[int, list[int]]:
    """The departments each of these users belongs to."""
    found: dict[int, list[int]] = {}
    for user_id, department_id in db.session.execute(
            select(Membership.user_id, Membership.department_id)
            .where(Membership.user_id.in_(set(user_ids)))):
        found.setdefault(user_id, []).append(department_id)
    return found


def document_choices(locale: str, keep=()) -> list[tuple[int, str]]:
    """(id, label) pairs of the documents a process may name (not obsolete), plus those it
    names already."""
    rows = db.session.scalars(select(Document).where(
        (Document.status != "obsolete") | Document.id.in_(list(keep) or [-1]))
        .order_by(Document.code))
    return [(d.id, f"{d.code} — {d.title(locale)}") for d in rows]
