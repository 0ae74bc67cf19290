"""In-memory people for the rule-book tables (tests/<domain>/test_policy.py): no app, no
database, only the roles and memberships the rules read."""

from __future__ import annotations

from compliance.auth.models import Membership, User, UserRole


def person(user_id: int, roles=(), memberships=(), active: bool = True) -> User:
    """A user with global `roles` and (department id, role) `memberships`, never saved."""
    user = User(id=user_id, email=f"u{user_id}@example.com", name=f"U{user_id}", active=active)
    user.roles = [UserRole(role=r) for r in roles]
    user.memberships = [Membership(department_id=d, role=r) for d, r in memberships]
    return user
