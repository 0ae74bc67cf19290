"""The rule book of the organisation's structure: who may see and change departments,
processes and the clause catalogue, and which rows each person sees."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, false

from compliance.auth.permissions import can
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied
from compliance.org.models import Department, Process

# What `allowed_actions(user, department_or_process)` may contain.
ACTIONS = frozenset({"edit", "add_measure"})


def may_read_departments(user) -> bool:
    """Whether the user may open the list of departments and every department's page."""
    return can(user, "departments.read")


def may_manage_departments(user) -> bool:
    """Whether the user may add and change departments."""
    return can(user, "departments.manage")


def may_read_processes(user) -> bool:
    """Whether the user may open the list of processes."""
    return can(user, "processes.read")


def may_read_process(user, process: Process) -> bool:
    """Readers of processes, and the members of the process's department (its page)."""
    return may_read_processes(user) or process.department_id in _own_department_ids(user)


def may_manage_processes(user) -> bool:
    """Whether the user may add and change processes."""
    return can(user, "processes.manage")


def may_read_clauses(user) -> bool:
    """Whether the user may open the clause catalogue."""
    return can(user, "clauses.read")


def may_manage(user, obj) -> bool:
    """Whether the user may change this department or process."""
    if isinstance(obj, Process):
        return may_manage_processes(user)
    if isinstance(obj, Department):
        return may_manage_departments(user)
    raise TypeError(f"not a department or process: {obj!r}")


def _own_department_ids(user) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return {m.department_id for m in user.memberships}


def visible_departments(user, stmt: Select) -> Select:
    """Departments the user may see: every one for readers, else only their own."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, Department)
    if may_read_departments(user):
        return stmt
    own = _own_department_ids(user)
    return stmt.where(Department.id.in_(own)) if own else stmt.where(false())


def visible_processes(user, stmt: Select) -> Select:
    """Processes the user may see: every one for readers, else those of their departments."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, Process)
    if may_read_processes(user):
        return stmt
    own = _own_department_ids(user)
    return stmt.where(Process.department_id.in_(own)) if own else stmt.where(false())


def allowed_actions(user, obj) -> frozenset[str]:
    """What the user may do to this department or process ("edit"; for a process also
    "add_measure" for those who define its measures)."""
    allowed = {"edit"} if may_manage(user, obj) else set()
    if isinstance(obj, Process) and can(user, "measures.manage", obj.department_id):
        allowed.add("add_measure")
    return frozenset(allowed)


def ensure(allowed: bool) -> None:
    """Raise PermissionDenied unless allowed."""
    if not allowed:
        raise PermissionDenied(_("You do not have permission to do this."))
