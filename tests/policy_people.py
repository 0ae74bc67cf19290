"""In-memory people for the rule-book tables (tests/<domain>/test_policy.py): no app, no
database, only the roles and memberships the rules read."""

from __future__ import annotations

from compliance.auth.models import Membership, User, UserRole


def person(user_id: int, roles=(), memberships=(), active: bool = True) -> User:
    """A user with global `roles` and (department id, role) `memberships`, never saved."""
    user = User(id=user_id, email=f"u{user_id}@example.com", name=f"U{user_id}", active=active,
                organisation_id=1)
    user.roles = [UserRole(role=r) for r in roles]
    user.memberships = [Membership(department_id=d, role=r) for d, r in memberships]
    return user


def standard_people(own: int, other: int) -> dict[str, User]:
    """The seven people every rule-book table starts from (ids 1 to 7): admin, coordinator,
    auditor, and a head and a staff member of department `own` and of department `other`."""
    return {
        "admin": person(1, roles=["admin"]),
        "coordinator": person(2, roles=["coordinator"]),
        "auditor": person(3, roles=["auditor"]),
        "head_own": person(4, memberships=[(own, "department_head")]),
        "head_other": person(5, memberships=[(other, "department_head")]),
        "staff_own": person(6, memberships=[(own, "staff")]),
        "staff_other": person(7, memberships=[(other, "staff")]),
    }
