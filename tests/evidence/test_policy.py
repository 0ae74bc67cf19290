"""The evidence rule book as a table: role × relationship × action → allowed? (no HTTP, no
database: users, packs and verifications are plain objects)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from compliance.core.errors import PermissionDenied
from compliance.evidence import rules
from compliance.evidence.models import EvidencePack, Verification

OWN, OTHER = 1, 2


class User(SimpleNamespace):
    """Just what the rules read of a user."""

    is_authenticated = True
    is_active = True
    organisation_id = 1  # every one of them in the same organisation (issue 14)

    def department_ids(self, role=None):
        return {m.department_id for m in self.memberships if role is None or m.role == role}


def user(role: str | None, uid: int = 10) -> User:
    """A user holding `role` globally, or in department OWN for membership roles."""
    if role in ("department_head", "staff"):
        return User(id=uid, global_roles=[],
                    memberships=[SimpleNamespace(department_id=OWN, role=role)])
    return User(id=uid, global_roles=[role] if role else [], memberships=[])


ROLES = ("admin", "coordinator", "auditor", "department_head", "staff", None)


def pack(department_id, status="ready"):
    return SimpleNamespace(department_id=department_id, status=status, scope_kind="department")


# action -> (what it asks of the rule book) -> expected for each role in ROLES.
#                                         admin  coord  audit  head   staff  none
MATRIX = {
    "use packs":                          (True, True, True, True, False, False),
    "verify a pack":                      (True, True, True, True, False, False),
    "build: own department (or its audit)": (True, True, True, True, False, False),
    "build: other department":            (True, True, True, False, False, False),
    "build: clause or organisation":      (True, True, True, False, False, False),
    "see: pack of own department":        (True, True, True, True, False, False),
    "see: pack of other department":      (True, True, True, False, False, False),
    "see: organisation pack":             (True, True, True, False, False, False),
    "share: pack of own department":      (True, True, True, True, False, False),
    "share: pack of other department":    (True, True, True, False, False, False),
    "revoke: pack of own department":     (True, True, True, True, False, False),
    "revoke: pack of other department":   (True, True, True, False, False, False),
    "read: own verification":             (True, True, True, True, False, False),
    "read: someone else's verification":  (True, True, True, False, False, False),
}

ASK = {
    "use packs": lambda u: rules.may_use(u),
    "verify a pack": lambda u: rules.may_verify(u),
    "build: own department (or its audit)": lambda u: rules.may_build(u, OWN),
    "build: other department": lambda u: rules.may_build(u, OTHER),
    "build: clause or organisation": lambda u: rules.may_build(u, None),
    "see: pack of own department": lambda u: rules.may_see(u, pack(OWN)),
    "see: pack of other department": lambda u: rules.may_see(u, pack(OTHER)),
    "see: organisation pack": lambda u: rules.may_see(u, pack(None)),
    "share: pack of own department": lambda u: rules.may_share(u, pack(OWN)),
    "share: pack of other department": lambda u: rules.may_share(u, pack(OTHER)),
    "revoke: pack of own department": lambda u: rules.may_revoke(u, pack(OWN)),
    "revoke: pack of other department": lambda u: rules.may_revoke(u, pack(OTHER)),
    "read: own verification":
        lambda u: rules.may_read_verification(u, SimpleNamespace(checked_by_id=u.id)),
    "read: someone else's verification":
        lambda u: rules.may_read_verification(u, SimpleNamespace(checked_by_id=u.id + 1)),
}


@pytest.mark.parametrize("action", MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_policy_matrix(role, action):
    expected = MATRIX[action][ROLES.index(role)]
    assert ASK[action](user(role)) is expected, (role, action)


def test_every_action_of_the_matrix_is_asked():
    assert set(MATRIX) == set(ASK)


@pytest.mark.parametrize("role", ROLES)
def test_allowed_actions_of_a_ready_and_a_building_pack(role):
    sees = MATRIX["see: pack of own department"][ROLES.index(role)]
    ready = rules.allowed_actions(user(role), pack(OWN))
    building = rules.allowed_actions(user(role), pack(OWN, status="building"))
    if not sees:
        assert ready == building == frozenset()
        return
    assert ready == {"view", "download", "share", "revoke"}
    # A pack still building is neither downloaded nor shared (a state, not a permission).
    assert building == {"view", "revoke"}
    assert rules.allowed_actions(user(role), pack(OTHER)) == (
        ready if MATRIX["see: pack of other department"][ROLES.index(role)] else frozenset())


def test_visible_packs_and_verifications_add_the_where_only_for_limited_users(app):
    # Those who see every pack see every pack of their organisation, narrowed by no
    # department: only packs across organisations are kept to those who oversee them.
    with app.app_context():
        everyone = str(rules.visible_packs(user("auditor"), select(EvidencePack)))
        assert everyone.split("WHERE", 1)[1].strip().startswith(
            "evidence_pack.organisation_id = :organisation_id_")
        assert "department_id IN" not in everyone and "scope_kind" in everyone
        head = rules.visible_packs(user("department_head"), select(EvidencePack))
        assert "department_id IN" in str(head)
        nobody = rules.visible_packs(user("staff"), select(EvidencePack))
        assert nobody.compile().params["department_id_1"] == [-1]
        assert str(rules.visible_verifications(user("admin"), select(Verification))).split(
            "WHERE", 1)[1].strip().startswith("evidence_verification.organisation_id = :")
        assert "checked_by_id" in str(rules.visible_verifications(user("department_head"),
                                                                  select(Verification)))


def test_ensure_refuses_with_permission_denied(app):
    with app.test_request_context():
        with pytest.raises(PermissionDenied):
            rules.ensure_use(user("staff"))
        rules.ensure_use(user("department_head"))
