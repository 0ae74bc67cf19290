"""Who finds what: every signed-in person searches; people only where users may be read.
Which records of each kind a person finds is each domain's own `visible_*` rule."""

from __future__ import annotations

from compliance.auth import rules as auth_rules


def may_find_people(user) -> bool:
    """Whether people are among the results: only for those who may read the users' list."""
    return auth_rules.may_read_users(user)
