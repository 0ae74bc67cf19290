"""The audits rule book as a table: role × relationship to the audit × action → allowed?

Built from unsaved model objects, so it needs no database and no HTTP and runs in
milliseconds; one test at the end checks visible_audits against may_read on real rows."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from compliance.audits import rules
from compliance.audits.models import Audit
from compliance.auth.models import Membership, User, UserRole
from compliance.core.errors import PermissionDenied
from compliance.core.extensions import db
from tests.audits.helpers import audit_in_state, cast

AUDITED, OTHER = 1, 2


def _person(uid: int, roles=(), memberships=()) -> User:
    user = User(id=uid, name=f"u{uid}", email=f"u{uid}@example.com", active=True)
    user.roles = [UserRole(role=r) for r in roles]
    user.memberships = [Membership(department_id=d, role=r) for d, r in memberships]
    return user


PEOPLE = {
    "lead": _person(1, ["auditor"], [(OTHER, "staff")]),
    "team": _person(2, ["auditor"]),
    "auditor_not_on_team": _person(3, ["auditor"]),
    # On the team, but joined the audited department since the audit was planned.
    "team_member_of_audited": _person(4, ["auditor"], [(AUDITED, "staff")]),
    "head_of_audited": _person(5, memberships=[(AUDITED, "department_head")]),
    "head_of_other": _person(6, memberships=[(OTHER, "department_head")]),
    "staff_of_audited": _person(7, memberships=[(AUDITED, "staff")]),
    "coordinator": _person(8, ["coordinator"]),
    "coordinator_of_audited": _person(9, ["coordinator"], [(AUDITED, "staff")]),
    "admin": _person(10, ["admin"]),
}
ANONYMOUS = AnonymousUserMixin()


def _audit(status: str) -> Audit:
    audit = Audit(id=1, department_id=AUDITED, lead_auditor_id=PEOPLE["lead"].id, status=status)
    audit.team = [PEOPLE["team"], PEOPLE["team_member_of_audited"]]
    return audit


R, P, M = "read", "report_pdf", "meeting"
MOVE = {"cancel", "reschedule"}  # what a coordinator may do to an audit not yet reported
DUE = "set_due"  # a finding's response due date
STATES = ("planned", "in_progress", "reported", "closed", "cancelled")
# person -> {state -> the actions their page offers}. Meetings are recorded until the audit
# is closed (the guide's rule): in progress and reported.
ACTIONS = {
    "lead": {"planned": {R, "start"}, "in_progress": {R, "record", M, DUE, "sign"},
             "reported": {R, P, M, DUE}, "closed": {R, P}, "cancelled": {R}},
    "team": {"planned": {R, "start"}, "in_progress": {R, "record", M, DUE},
             "reported": {R, P, M, DUE}, "closed": {R, P}, "cancelled": {R}},
    "auditor_not_on_team": {"planned": {R}, "in_progress": {R},
                            "reported": {R, P}, "closed": {R, P}, "cancelled": {R}},
    "team_member_of_audited": {"planned": {R}, "in_progress": {R},
                               "reported": {R, P}, "closed": {R, P}, "cancelled": {R}},
    "head_of_audited": {"planned": {R}, "in_progress": {R}, "reported": {R, P, "respond"},
                        "closed": {R, P}, "cancelled": {R}},
    "head_of_other": {state: set() for state in STATES},
    "staff_of_audited": {state: set() for state in STATES},
    "coordinator": {"planned": {R, "edit", "start"} | MOVE,
                    "in_progress": {R, "record", M, DUE} | MOVE,
                    "reported": {R, "close", P, M, DUE, "respond"}, "closed": {R, P},
                    "cancelled": {R}},
    # Never records in the department they belong to; still plans, moves and closes.
    "coordinator_of_audited": {"planned": {R, "edit"} | MOVE, "in_progress": {R} | MOVE,
                               "reported": {R, "close", P, "respond"}, "closed": {R, P},
                               "cancelled": {R}},
    "admin": {"planned": {R, "edit", "start"} | MOVE,
              "in_progress": {R, "record", M, DUE} | MOVE,
              "reported": {R, "close", P, M, DUE, "respond"}, "closed": {R, P},
              "cancelled": {R}},
}

# person -> (may_read, may_plan, may_edit, may_conduct, may_sign_report, may_close,
# may_cancel, may_reschedule, may_set_due, may_respond, may_edit_programme), whatever the
# state: the state is STATES_FOR's business.
Y, N = True, False
MAY = {
    "lead":                   (Y, N, N, Y, Y, N, N, N, Y, N, N),
    "team":                   (Y, N, N, Y, N, N, N, N, Y, N, N),
    "auditor_not_on_team":    (Y, N, N, N, N, N, N, N, N, N, N),
    "team_member_of_audited": (Y, N, N, N, N, N, N, N, N, N, N),
    "head_of_audited":        (Y, N, N, N, N, N, N, N, N, Y, N),
    "head_of_other":          (N, N, N, N, N, N, N, N, N, N, N),
    "staff_of_audited":       (N, N, N, N, N, N, N, N, N, N, N),
    "coordinator":            (Y, Y, Y, Y, N, Y, Y, Y, Y, Y, Y),
    "coordinator_of_audited": (Y, Y, Y, N, N, Y, Y, Y, N, Y, Y),
    "admin":                  (Y, Y, Y, Y, N, Y, Y, Y, Y, Y, Y),
}
VERBS = (rules.may_read, rules.may_plan, rules.may_edit, rules.may_conduct,
         rules.may_sign_report, rules.may_close, rules.may_cancel, rules.may_reschedule,
         rules.may_set_due, rules.may_respond, rules.may_edit_programme)

# person -> what the audits index offers (no audit in particular)
DOMAIN = {
    "lead": {"programmes"}, "team": {"programmes"}, "auditor_not_on_team": {"programmes"},
    "team_member_of_audited": {"programmes"}, "head_of_audited": set(),
    "head_of_other": set(), "staff_of_audited": set(),
    "coordinator": {"programmes", "create_programme", "plan", "questions", "grades"},
    "coordinator_of_audited": {"programmes", "create_programme", "plan", "questions",
                               "grades"},
    "admin": {"programmes", "create_programme", "plan", "questions", "grades"},
}


@pytest.mark.parametrize("who", sorted(PEOPLE))
@pytest.mark.parametrize("state", STATES)
def test_allowed_actions(who, state):
    assert rules.allowed_actions(PEOPLE[who], _audit(state)) == frozenset(ACTIONS[who][state])


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_may_verbs(who):
    audit = _audit("in_progress")
    assert tuple(verb(PEOPLE[who], audit) for verb in VERBS) == MAY[who]


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_domain_actions(who):
    assert rules.allowed_actions(PEOPLE[who]) == frozenset(DOMAIN[who])
    assert rules.may_list(PEOPLE[who]) == (bool(DOMAIN[who]) or who == "head_of_audited"
                                           or who == "head_of_other")


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_programme_actions(who):
    """On a programme's page: who plans in it and who edits it (coordinators, admins)."""
    from compliance.audits.models import AuditProgramme

    planner = who in ("coordinator", "coordinator_of_audited", "admin")
    expected = {"plan", "edit_programme"} if planner else set()
    assert rules.allowed_actions(PEOPLE[who], AuditProgramme(id=1)) == frozenset(expected)


def test_every_action_has_its_states():
    assert set(rules.STATES_FOR) == set(rules._AUDIT_RULES)


def test_nobody_signed_in_may_do_anything():
    for state in STATES:
        assert rules.allowed_actions(ANONYMOUS, _audit(state)) == frozenset()
    assert rules.allowed_actions(ANONYMOUS) == frozenset()
    assert not any(verb(ANONYMOUS, _audit("in_progress")) for verb in VERBS)


def test_an_auditor_never_audits_a_department_they_belong_to():
    """Whatever the role, membership of the audited department rules out recording/signing."""
    audit = _audit("in_progress")
    for who, person in PEOPLE.items():
        if rules.belongs_to_audited(person, audit):
            assert not rules.may_conduct(person, audit), who
            assert not rules.may_sign_report(person, audit), who
    lead = _person(1, ["auditor"], [(AUDITED, "staff")])  # the lead, having joined since
    assert not rules.may_sign_report(lead, audit)


def test_only_auditor_roles_can_be_named_to_a_team():
    assert [who for who, p in PEOPLE.items() if rules.is_auditor(p)] == [
        "lead", "team", "auditor_not_on_team", "team_member_of_audited", "coordinator",
        "coordinator_of_audited", "admin"]
    retired = _person(11, ["auditor"])
    retired.active = False
    assert not rules.is_auditor(retired)


def test_the_refusals_say_why():
    audit = _audit("in_progress")
    with pytest.raises(PermissionDenied, match="assigned"):
        rules.ensure_conduct(PEOPLE["auditor_not_on_team"], audit)
    with pytest.raises(PermissionDenied, match="belong to the audited department"):
        rules.ensure_conduct(PEOPLE["team_member_of_audited"], audit)
    with pytest.raises(PermissionDenied, match="lead auditor"):
        rules.ensure_sign_report(PEOPLE["team"], audit)


def test_visible_audits_lists_what_may_read_opens(app, make):
    """The list query's WHERE and may_read are one rule, on real rows."""
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress")
    outsider = make.user(departments=[(people.other.id, "department_head")])
    staff = make.user(departments=[(people.dept.id, "staff")])
    with app.app_context():
        audit = db.session.get(Audit, ids.audit_id)
        for person in (people.head, people.coordinator, people.lead, people.member,
                       people.insider, outsider, staff):
            user = db.session.get(User, person.id)
            listed = db.session.scalars(rules.visible_audits(user, select(Audit.id))).all()
            assert (audit.id in listed) == rules.may_read(user, audit), person.name
        assert ids.audit_id in db.session.scalars(
            rules.visible_audits(db.session.get(User, people.head.id), select(Audit.id))).all()
        assert db.session.scalars(rules.visible_audits(ANONYMOUS, select(Audit.id))).all() == []
