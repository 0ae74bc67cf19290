"""Whose work the home page shows: the scopes come from the coarse role table, not from role
names written here (auth.permissions says which membership roles act in their department)."""

from __future__ import annotations

from compliance.auth.permissions import DEPARTMENT_PERMISSIONS, can


def may_see_departments(user) -> bool:
    """Whether the user sees the per-department totals (coordinators, administrators)."""
    return can(user, "dashboard.departments")


def departments_where(user, permission: str) -> set[int]:
    """The departments where one of the user's memberships grants the permission."""
    scoped = DEPARTMENT_PERMISSIONS.get(permission, frozenset())
    return {m.department_id for m in user.memberships if m.role in scoped}


def approval_departments(user) -> set[int] | None:
    """Where the user may approve revisions: None for everywhere, else those departments."""
    if can(user, "documents.approve"):
        return None
    return departments_where(user, "documents.approve")


def monitored_departments(user) -> set[int] | None:
    """Whose charts the monitoring page shows: None for every department (coordinators,
    administrators), else the departments the user heads (empty: no monitoring page)."""
    if may_see_departments(user):
        return None
    return departments_where(user, "reports.read")


def may_monitor(user) -> bool:
    """Whether the user has a monitoring page at all."""
    return monitored_departments(user) != set()
