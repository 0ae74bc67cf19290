"""The reports rule book as a table: role × relationship × action → allowed? (no HTTP, no
database: users, reviews and actions are plain objects or unsaved rows)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from compliance.core.errors import PermissionDenied
from compliance.org.models import Department
from compliance.reports import rules
from compliance.reports.models import ManagementReview, ReviewAction

OWN, OTHER = 1, 2


class User(SimpleNamespace):
    """Just what the rules read of a user."""

    is_authenticated = True
    is_active = True
    organisation_id = 1

    def department_ids(self, role=None):
        return {m.department_id for m in self.memberships if role is None or m.role == role}


def user(role: str | None) -> User:
    """A user holding `role` globally, or in department OWN for membership roles."""
    if role in ("department_head", "staff"):
        return User(id=1, global_roles=[],
                    memberships=[SimpleNamespace(department_id=OWN, role=role)])
    return User(id=1, global_roles=[role] if role else [], memberships=[])


ROLES = ("admin", "coordinator", "auditor", "department_head", "staff", None)

#                                        admin  coord  audit  head   staff  none
MATRIX = {
    "open the reports":                  (True, True, True, True, False, False),
    "read: organisation report":         (True, True, True, False, False, False),
    "read: own department's report":     (True, True, True, True, False, False),
    "read: other department's report":   (True, True, True, False, False, False),
    "edit the notes":                    (True, True, False, False, False, False),
    "read management reviews":           (True, True, True, False, False, False),
    "record reviews and actions":        (True, True, False, False, False, False),
    "update: open action":               (True, True, False, False, False, False),
    "update: done action":               (False, False, False, False, False, False),
}

ASK = {
    "open the reports": lambda u: rules.may_open_reports(u),
    "read: organisation report": lambda u: rules.may_read_report(u, None),
    "read: own department's report": lambda u: rules.may_read_report(u, OWN),
    "read: other department's report": lambda u: rules.may_read_report(u, OTHER),
    "edit the notes": lambda u: rules.may_edit_notes(u),
    "read management reviews": lambda u: rules.may_read_reviews(u),
    "record reviews and actions": lambda u: rules.may_manage_reviews(u),
    "update: open action": lambda u: rules.may_update_action(u, ReviewAction(status="open")),
    "update: done action": lambda u: rules.may_update_action(u, ReviewAction(status="done")),
}


@pytest.mark.parametrize("action", MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_policy_matrix(role, action):
    expected = MATRIX[action][ROLES.index(role)]
    assert ASK[action](user(role)) is expected, (role, action)


def test_every_action_of_the_matrix_is_asked():
    assert set(MATRIX) == set(ASK)


@pytest.mark.parametrize("role", ROLES)
def test_allowed_actions_follow_the_matrix(role):
    row = {action: MATRIX[action][ROLES.index(role)] for action in MATRIX}
    u = user(role)
    index = rules.allowed_actions(u)
    assert ("read" in index) is row["read management reviews"]
    assert ("record" in index) is row["record reviews and actions"]
    review = rules.allowed_actions(u, ManagementReview())
    assert ("add_action" in review) is row["record reviews and actions"]
    assert ("update" in rules.allowed_actions(u, ReviewAction(status="open"))) \
        is row["update: open action"]
    assert rules.allowed_actions(u, ReviewAction(status="cancelled")) == frozenset()
    own = rules.allowed_actions(u, SimpleNamespace(department=SimpleNamespace(id=OWN)))
    assert ("pdf" in own) is row["read: own department's report"]
    assert ("edit_notes" in own) is row["edit the notes"]
    organisation = rules.allowed_actions(u, SimpleNamespace(department=None))
    assert ("read" in organisation) is row["read: organisation report"]


def test_visible_departments_limit_heads_to_their_own():
    # Readers of every department: their organisation's, and no narrower.
    everything = str(rules.visible_departments(user("auditor"), select(Department)))
    assert "organisation_id" in everything and "department.id IN" not in everything
    head = rules.visible_departments(user("department_head"), select(Department))
    assert head.compile().params["id_1"] == [OWN]
    staff = rules.visible_departments(user("staff"), select(Department))
    assert staff.compile().params["id_1"] == [-1]


def test_ensure_refuses_with_permission_denied(app):
    with app.test_request_context():
        with pytest.raises(PermissionDenied):
            rules.ensure(rules.may_manage_reviews(user("auditor")))
        rules.ensure(rules.may_read_reviews(user("auditor")))
