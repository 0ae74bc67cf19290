"""The accounts rule book as a table: role x relationship to the account x action -> allowed.

Fast: plain objects stand in for users, no app, no database, no HTTP."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from compliance.auth import rules
from compliance.auth.permissions import can, can_everywhere

DEPT = 7


# The organisation every signed-in person of the rule-book tables belongs to (issue 14).
ORG = 1


def person(role: str | None, *, id: int = 1, active: bool = True, service: bool = False):
    """A signed-in user holding one role (department roles in department DEPT)."""
    if role is None:
        return SimpleNamespace(id=None, is_authenticated=False, is_active=False,
                               global_roles=set(), memberships=[])
    global_roles = {role} if role in ("admin", "coordinator", "auditor") else set()
    memberships = ([SimpleNamespace(department_id=DEPT, role=role)]
                   if role in ("department_head", "staff") else [])
    return SimpleNamespace(id=id, is_authenticated=True, is_active=active, active=active,
                           global_roles=global_roles, memberships=memberships,
                           organisation_id=ORG, is_service=service)


ROLES = ("admin", "coordinator", "department_head", "auditor", "staff", None)
MANAGE = {"edit", "add_membership", "remove_membership", "reset_password"}

# role -> (may_read_users, may_manage_users)
COARSE = {
    "admin": (True, True),
    "coordinator": (True, False),
    "department_head": (True, False),
    "auditor": (True, False),
    "staff": (False, False),
    None: (False, False),
}

# (role, relationship to the target account) -> allowed_actions
ACTIONS = {
    ("admin", "self"): MANAGE,
    ("admin", "other active"): MANAGE | {"deactivate"},
    ("admin", "other deactivated"): MANAGE | {"reactivate"},
    # A service account has no password to reset; its tokens are made for it instead.
    ("admin", "service account"): MANAGE - {"reset_password"} | {"tokens", "deactivate"},
    **{(role, relation): set() for role in ROLES if role != "admin"
       for relation in ("self", "other active", "other deactivated", "service account")},
}


def target(actor, relation: str):
    if relation == "self":
        return actor
    if relation == "service account":
        return person("staff", id=98, service=True)
    return person("staff", id=99, active=relation == "other active")


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_and_manages_accounts(role):
    user = person(role)
    assert (rules.may_read_users(user), rules.may_manage_users(user)) == COARSE[role]


@pytest.mark.parametrize("role, relation", sorted(ACTIONS, key=str))
def test_allowed_actions_on_an_account(role, relation):
    actor = person(role)
    assert rules.allowed_actions(actor, target(actor, relation)) == frozenset(
        ACTIONS[role, relation])
    assert rules.allowed_actions(actor, target(actor, relation)) <= rules.USER_ACTIONS


@pytest.mark.parametrize("role, relation", sorted(ACTIONS, key=str))
def test_deactivation_follows_the_actions(role, relation):
    actor = person(role)
    account = target(actor, relation)
    assert rules.may_deactivate(actor, account) == ("deactivate" in ACTIONS[role, relation])
    assert rules.may_reactivate(actor, account) == ("reactivate" in ACTIONS[role, relation])


def test_a_deactivated_administrator_holds_no_right():
    former = person("admin", active=False)
    assert not rules.may_read_users(former) and not rules.may_manage_users(former)
    assert rules.allowed_actions(former, person("staff", id=99)) == frozenset()


@pytest.mark.parametrize("relation, roles, allowed", [
    ("self", ("admin",), True),
    ("self", ("coordinator",), False),
    ("self", (), False),
    ("other", (), True),
    ("other", ("auditor",), True),
])
def test_nobody_drops_their_own_administrator_role(relation, roles, allowed):
    actor = person("admin")
    account = actor if relation == "self" else person("admin", id=99)
    assert rules.may_drop_own_admin(actor, account, roles) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_changes_their_own_password(role):
    assert rules.may_change_own_password(person(role)) is (role is not None)
    assert not rules.may_change_own_password(person(role or "staff", active=False))


@pytest.mark.parametrize("role, everywhere, in_own_department", [
    ("admin", True, True),
    ("coordinator", True, True),
    ("department_head", False, True),
    ("auditor", True, True),
    ("staff", False, False),
    (None, False, False),
])
def test_organisation_wide_and_department_rights_differ(role, everywhere, in_own_department):
    user = person(role)
    assert can_everywhere(user, "audits.read") is everywhere
    assert can(user, "audits.read", DEPT) is in_own_department
    assert can(user, "audits.read", DEPT + 1) is everywhere


@pytest.mark.parametrize("role", ROLES)
def test_tokens_are_ones_own_but_an_administrator_makes_and_ends_service_accounts(role):
    actor, other = person(role), person("staff", id=99)
    service = person("staff", id=98, service=True)
    admin = role == "admin"
    assert rules.may_create_token_for(actor, actor) == (role is not None)
    assert not rules.may_create_token_for(actor, other)
    assert rules.may_create_token_for(actor, service) == admin
    own = SimpleNamespace(user_id=actor.id, organisation_id=ORG)
    theirs = SimpleNamespace(user_id=99, organisation_id=ORG)
    elsewhere = SimpleNamespace(user_id=99, organisation_id=ORG + 1)
    assert rules.may_revoke_token(actor, own) == (role is not None)
    assert rules.may_revoke_token(actor, theirs) == admin
    assert not rules.may_revoke_token(actor, elsewhere)
