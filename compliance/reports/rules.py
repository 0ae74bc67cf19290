"""The reports rule book: who reads which six-monthly report, writes its notes, reads and keeps
management reviews.

Admins, coordinators and auditors read every report (`reports.read`); a department head reads
the reports of the departments they head. Only admins and coordinators write the notes
(`reports.notes`) and record reviews and their actions (`reviews.manage`); auditors read
reviews too (`reviews.read`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select

from compliance.auth.permissions import can, roles_of
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied
from compliance.org.models import Department
from compliance.reports.models import ManagementReview, ReviewAction


def may_read_report(user, department_id: int | None) -> bool:
    """A department's report (None: the whole organisation's)."""
    return can(user, "reports.read", department_id)


def reads_every_report(user) -> bool:
    """Whether the user reads the whole organisation's and every department's report."""
    return can(user, "reports.read")


def readable_department_ids(user) -> set[int] | None:
    """Departments whose report the user may read (None: all of them)."""
    if reads_every_report(user):
        return None
    if not roles_of(user):
        return set()
    return {d for d in user.department_ids() if can(user, "reports.read", d)}


def may_open_reports(user) -> bool:
    """Whether the user reads any six-monthly report at all (the menu and the index)."""
    readable = readable_department_ids(user)
    return readable is None or bool(readable)


def visible_departments(user, stmt: Select) -> Select:
    """Limit a query of departments to those whose report the user may read."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, Department)
    readable = readable_department_ids(user)
    if readable is None:
        return stmt
    return stmt.where(Department.id.in_(sorted(readable) or [-1]))


def may_edit_notes(user) -> bool:
    """The shortcomings and planned actions of any report."""
    return can(user, "reports.notes")


def may_read_reviews(user) -> bool:
    """Management reviews, their actions and the input pack."""
    return can(user, "reviews.read")


def may_manage_reviews(user) -> bool:
    """Record reviews and their actions, and update the actions."""
    return can(user, "reviews.manage")


def may_update_action(user, action: ReviewAction) -> bool:
    """An open action may be updated by those who keep reviews; a closed one is final."""
    return may_manage_reviews(user) and action.status == "open"


def allowed_actions(user, obj=None) -> frozenset[str]:
    """What a page offers the user for a review ("read", "add_action"), an action
    ("update"), a report (`department_id` attribute: "read", "pdf", "edit_notes"), or, with
    no object, the reviews index ("read", "record")."""
    found: set[str] = set()
    if isinstance(obj, ReviewAction):
        if may_update_action(user, obj):
            found.add("update")
    elif obj is None or isinstance(obj, ManagementReview):
        if may_read_reviews(user):
            found.add("read")
        if may_manage_reviews(user):
            found.add("record" if obj is None else "add_action")
    else:
        department = getattr(obj, "department", None)
        if may_read_report(user, department.id if department is not None else None):
            found.update({"read", "pdf"})
            if may_edit_notes(user):
                found.add("edit_notes")
    return frozenset(found)


def ensure(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied unless allowed."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))
