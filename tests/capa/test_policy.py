"""The rule book of corrective actions as a table: role × relationship × verb → allowed?

Service level and fast: plain in-memory objects, no app, no database, no HTTP. The route
matrix (tests/test_permissions.py) checks that the pages ask this rule book."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from compliance.audits.models import FindingGrade
from compliance.auth.models import User
from compliance.capa import rules
from compliance.capa.models import Action, CorrectiveAction, EffectivenessCheck
from compliance.core.extensions import db
from tests.capa.helpers import ca_in_state
from tests.policy_people import person

OWN, OTHER = 1, 2
RAISED = date(2026, 6, 10)



# The people, each by role and relationship to the corrective action of department OWN.
PEOPLE = {
    "admin": person(1, roles=["admin"]),
    "coordinator": person(2, roles=["coordinator"]),
    "auditor": person(3, roles=["auditor"]),
    "verifier": person(4, roles=["auditor"]),               # named verifier of the CA
    "head_own": person(5, memberships=[(OWN, "department_head")]),
    "head_other": person(6, memberships=[(OTHER, "department_head")]),
    "staff_own": person(7, memberships=[(OWN, "staff")]),
    "action_owner": person(8, memberships=[(OTHER, "staff")]),  # owns an action of the CA
    "raiser": person(9, memberships=[(OWN, "staff")]),          # raised it, now only staff
}
VERIFIER_ID, OWNER_ID, RAISER_ID = 4, 8, 9


def _ca(status: str = "actions_in_progress", *, grade_raises: bool = True,
        check: str | None = None, action_status: str = "open") -> CorrectiveAction:
    grade = FindingGrade(code="major" if grade_raises else "observation", name_vi="x",
                         name_en="x", raises_corrective_action=grade_raises,
                         requires_root_cause=False, requires_effectiveness_evidence=False,
                         effectiveness_check_days=60)
    ca = CorrectiveAction(id=1, reference="HDKP-2026-001", source="complaint",
                          department_id=OWN, grade=grade.code, problem="x", status=status,
                          raised_by_id=RAISER_ID, raised_on=RAISED, verifier_id=VERIFIER_ID)
    ca.grade_rule = grade
    ca.actions = [Action(id=1, description="x", owner_id=OWNER_ID, due_on=RAISED,
                         status=action_status)]
    ca.checks = [EffectivenessCheck(id=1, due_on=RAISED, verifier_id=VERIFIER_ID,
                                    status=check)] if check else []
    return ca


# Who, whatever the state: the may_* verbs.
VERBS = {
    "read": lambda u, ca: rules.may_read(u, ca),
    "manage": lambda u, ca: rules.may_manage(u, ca),
    "contain": lambda u, ca: rules.may_contain(u, ca),
    "analyse": lambda u, ca: rules.may_analyse(u, ca),
    "add_action": lambda u, ca: rules.may_add_action(u, ca),
    "add_file": lambda u, ca: rules.may_add_file(u, ca),
    "decide": lambda u, ca: rules.may_decide(u, ca),
    "complete_action": lambda u, ca: rules.may_complete_action(u, ca.actions[0]),
    "verify": lambda u, ca: rules.may_verify(u, ca),
    "record_check": lambda u, ca: rules.may_record_check(u, ca),
    "close": lambda u, ca: rules.may_close(u, ca),
    "raise_here": lambda u, ca: rules.may_raise(u, ca.department_id),
    "edit_action": lambda u, ca: rules.may_edit_action(u, ca.actions[0]),
    "reschedule_action": lambda u, ca: rules.may_reschedule_action(u, ca.actions[0]),
    "reassign_action": lambda u, ca: rules.may_reassign_action(u, ca.actions[0]),
    "cancel_action": lambda u, ca: rules.may_cancel_action(u, ca.actions[0]),
}
Y, N = True, False
#               read manage contain analyse add_act file decide complete verify check close raise
#               | edit resched reassign cancel (an action)
POLICY = {
    "admin":        (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "coordinator":  (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "auditor":      (Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    "verifier":     (Y, N, N, N, N, N, N, N, Y, Y, Y, N, N, N, N, N),
    "head_own":     (Y, Y, Y, Y, Y, Y, Y, Y, N, N, N, Y, Y, Y, Y, Y),
    "head_other":   (N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    "staff_own":    (N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    # The owner of an action marks it done, and changes nothing else about it.
    "action_owner": (Y, N, N, N, N, N, N, Y, N, N, N, N, N, N, N, N),
    "raiser":       (N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N),
}


@pytest.mark.parametrize("who", sorted(POLICY))
def test_who_may_do_what(who):
    ca = _ca()
    user = PEOPLE[who]
    got = tuple(check(user, ca) for check in VERBS.values())
    assert dict(zip(VERBS, got, strict=True)) == dict(zip(VERBS, POLICY[who], strict=True))


# What the page offers: the rule of who, and the state that lets it happen now.
READ = {"read", "download"}
STATE_CASES = [
    # (state and facts, who, the allowed actions)
    ({"status": "open"}, "head_own", READ | {"upload", "contain"}),
    ({"status": "open", "grade_raises": False}, "head_own",
     READ | {"upload", "contain", "decide"}),
    ({"status": "open"}, "verifier", READ),
    ({"status": "open"}, "head_other", set()),
    ({"status": "contained"}, "coordinator", READ | {"upload", "analyse"}),
    ({"status": "analysed"}, "head_own", READ | {"upload", "add_action"}),
    ({"status": "actions_in_progress"}, "head_own",
     READ | {"upload", "add_action", "complete_action"}),
    ({"status": "actions_in_progress"}, "action_owner", READ | {"complete_action"}),
    ({"status": "actions_in_progress"}, "auditor", READ),
    ({"status": "verifying", "check": "pending", "action_status": "done"}, "verifier",
     READ | {"record_check", "close"}),
    ({"status": "verifying", "check": "pending", "action_status": "done"}, "head_own",
     READ | {"upload"}),
    ({"status": "verifying", "check": "effective", "action_status": "done"}, "coordinator",
     READ | {"upload", "close"}),
    ({"status": "closed", "check": "effective", "action_status": "done"}, "admin", READ),
    ({"status": "closed", "check": "effective", "action_status": "done"}, "action_owner",
     READ),
    ({"status": "closed"}, "staff_own", set()),
]


@pytest.mark.parametrize(("facts", "who", "expected"), STATE_CASES,
                         ids=[f"{f['status']}-{w}" for f, w, _ in STATE_CASES])
def test_allowed_actions_follow_the_rules_and_the_state(facts, who, expected):
    assert rules.allowed_actions(PEOPLE[who], _ca(**facts)) == frozenset(expected)


CHANGES = {"edit", "reschedule", "reassign", "cancel"}
ACTION_CASES = [
    # (state of the corrective action, of its action), who, what the action's row offers
    (("actions_in_progress", "open"), "action_owner", {"complete"}),
    (("actions_in_progress", "open"), "head_own", {"complete"} | CHANGES),
    (("actions_in_progress", "open"), "coordinator", {"complete"} | CHANGES),
    (("actions_in_progress", "open"), "verifier", set()),
    (("actions_in_progress", "open"), "head_other", set()),
    (("actions_in_progress", "open"), "auditor", set()),
    (("actions_in_progress", "done"), "action_owner", set()),
    (("actions_in_progress", "done"), "head_own", set()),
    (("actions_in_progress", "cancelled"), "coordinator", set()),
    (("verifying", "done"), "head_own", set()),
    # An open action of a corrective action that is closed (say, by a decision) is frozen.
    (("closed", "open"), "coordinator", set()),
    (("closed", "open"), "head_own", set()),
]


@pytest.mark.parametrize(("states", "who", "expected"), ACTION_CASES,
                         ids=[f"{s[0]}-{s[1]}-{w}" for s, w, _ in ACTION_CASES])
def test_an_open_action_is_done_by_its_owner_and_changed_only_by_managers(states, who,
                                                                            expected):
    status, action_status = states
    action = _ca(status, action_status=action_status).actions[0]
    assert rules.allowed_on_action(PEOPLE[who], action) == frozenset(expected)


def test_raising_by_hand_is_for_coordinators_and_heads_of_their_own_department():
    assert rules.managed_department_ids(PEOPLE["coordinator"]) is None
    assert rules.managed_department_ids(PEOPLE["head_own"]) == {OWN}
    assert rules.may_raise(PEOPLE["head_own"], OWN)
    assert not rules.may_raise(PEOPLE["head_own"], OTHER)
    assert [who for who, user in PEOPLE.items() if rules.may_raise_any(user)] == \
        ["admin", "coordinator", "head_own", "head_other"]


def test_verifiers_are_active_coordinators_auditors_and_admins():
    assert [who for who, user in PEOPLE.items() if rules.may_be_verifier(user)] == \
        ["admin", "coordinator", "auditor", "verifier"]
    gone = person(10, roles=["auditor"])
    gone.active = False
    assert not rules.may_be_verifier(gone)
    assert not rules.may_be_verifier(None)


def test_an_inactive_coordinator_may_do_nothing_by_role():
    gone = person(11, roles=["coordinator"])
    gone.active = False
    assert not rules.may_read(gone, _ca())
    assert rules.allowed_actions(gone, _ca()) == frozenset()


def test_the_register_shows_exactly_what_may_read_allows(app, make):
    """`visible_corrective_actions` (the register, the export) agrees with `may_read`."""
    own, other = make.department(), make.department()
    coordinator = make.user(roles=["coordinator"])
    owner = make.user(departments=[(other.id, "staff")])
    verifier = make.user(roles=["auditor"])
    people = [coordinator, owner, verifier, make.user(roles=["auditor"]),
              make.user(departments=[(own.id, "department_head")]),
              make.user(departments=[(other.id, "department_head")]),
              make.user(departments=[(own.id, "staff")])]
    ids = [ca_in_state(app, own.id, "actions_in_progress", coordinator_id=coordinator.id,
                       owner_id=owner.id, verifier_id=verifier.id).ca_id,
           ca_in_state(app, other.id, "open", coordinator_id=coordinator.id,
                       owner_id=owner.id).ca_id]
    with app.app_context():
        cas = [db.session.get(CorrectiveAction, i) for i in ids]
        for person in people:
            user = db.session.get(User, person.id)
            seen = set(db.session.scalars(rules.visible_corrective_actions(
                user, select(CorrectiveAction.id))))
            assert seen == {ca.id for ca in cas if rules.may_read(user, ca)}, user.email
