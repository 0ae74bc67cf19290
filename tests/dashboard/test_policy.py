"""Whose work the home page shows, from the role table: role × membership → scope (no HTTP)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from compliance.dashboard import rules


def _user(global_roles=(), memberships=()) -> SimpleNamespace:
    return SimpleNamespace(
        id=1, is_authenticated=True, is_active=True, global_roles=list(global_roles),
        memberships=[SimpleNamespace(department_id=d, role=r) for d, r in memberships])


# who -> (sees department totals, approves in, reviews/answers/is audited in)
POLICY = {
    "admin": (_user(["admin"]), True, None, set()),
    "coordinator": (_user(["coordinator"]), True, None, set()),
    "auditor": (_user(["auditor"]), False, set(), set()),
    "head of 10, staff of 20": (_user(memberships=[(10, "department_head"), (20, "staff")]),
                                False, {10}, {10}),
    "staff of 20": (_user(memberships=[(20, "staff")]), False, set(), set()),
}


@pytest.mark.parametrize("who", sorted(POLICY))
def test_home_page_scopes_come_from_the_role_table(who):
    user, totals, approves, heads = POLICY[who]
    assert rules.may_see_departments(user) is totals
    assert rules.approval_departments(user) == approves
    for permission in ("documents.review", "corrective.manage", "audits.read", "audits.respond"):
        assert rules.departments_where(user, permission) == heads
