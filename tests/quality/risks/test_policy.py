"""The rule book of the risk register as a table: role × relationship × verb → allowed?

Service level and fast: plain in-memory objects, no app, no database, no HTTP. The route
matrix (tests/test_permissions.py) checks that the pages ask this rule book."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from compliance.auth.models import User
from compliance.core.extensions import db
from compliance.quality.risks import rules
from compliance.quality.risks.models import Risk, RiskAction
from tests.policy_people import person, standard_people
from tests.quality.risks.helpers import make_risk

OWN, OTHER = 1, 2
DAY = date(2026, 6, 15)



# The people, each by role and relationship to a risk of department OWN.
PEOPLE = {
    **standard_people(OWN, OTHER),
    "action_owner": person(8, memberships=[(OTHER, "staff")]),  # owns a treatment action
}
OWNER_ID = 8


def _risk(status: str = "open", action_status: str = "open") -> Risk:
    risk = Risk(id=1, reference="R-01", department_id=OWN, kind="risk", description="x",
                likelihood=3, impact=4, score=12, status=status, raised_on=DAY)
    risk.actions = [RiskAction(id=1, description="x", owner_id=OWNER_ID, due_on=DAY,
                               status=action_status)]
    for action in risk.actions:
        action.risk = risk
    return risk


VERBS = {
    "read": lambda u, r: rules.may_read(u, r),
    "manage": lambda u, r: rules.may_manage(u, r),
    "create_here": lambda u, r: rules.may_manage_department(u, r.department_id),
    "complete_action": lambda u, r: rules.may_complete_action(u, r.actions[0]),
    "set_scale": lambda u, r: rules.may_set_scale(u),
    "answer_ca_review": lambda u, r: rules.may_answer_ca_review(u, r.department_id),
    "read_all": lambda u, r: rules.may_read_all(u),
}
Y, N = True, False
#                read manage create complete scale answer read_all
POLICY = {
    "admin":        (Y, Y, Y, Y, Y, Y, Y),
    "coordinator":  (Y, Y, Y, Y, Y, Y, Y),
    "auditor":      (Y, N, N, N, N, N, Y),
    "head_own":     (Y, Y, Y, Y, N, Y, N),
    "head_other":   (N, N, N, N, N, N, N),
    "staff_own":    (Y, N, N, N, N, N, N),
    "staff_other":  (N, N, N, N, N, N, N),
    # The owner of a treatment action reads its risk and marks the action done, nothing else.
    "action_owner": (Y, N, N, Y, N, N, N),
}


@pytest.mark.parametrize("who", sorted(POLICY))
def test_who_may_do_what(who):
    risk, user = _risk(), PEOPLE[who]
    got = {verb: check(user, risk) for verb, check in VERBS.items()}
    assert got == dict(zip(VERBS, POLICY[who], strict=True))


MANAGE = {"read", "status", "edit", "review", "add_action", "link"}
STATE_CASES = [
    # (risk status, action status), who, what the page offers
    (("open", "open"), "head_own", MANAGE | {"complete_action"}),
    (("open", "open"), "coordinator", MANAGE | {"complete_action"}),
    (("open", "open"), "auditor", {"read"}),
    (("open", "open"), "staff_own", {"read"}),
    (("open", "open"), "action_owner", {"read", "complete_action"}),
    (("open", "open"), "head_other", set()),
    (("open", "done"), "action_owner", {"read"}),
    (("treated", "done"), "head_own", MANAGE),
    # A closed risk is only reopened; its open actions wait.
    (("closed", "open"), "head_own", {"read", "status"}),
    (("closed", "open"), "action_owner", {"read"}),
]


@pytest.mark.parametrize(("states", "who", "expected"), STATE_CASES,
                         ids=[f"{s[0]}-{s[1]}-{w}" for s, w, _ in STATE_CASES])
def test_allowed_actions_follow_the_rules_and_the_state(states, who, expected):
    assert rules.allowed_actions(PEOPLE[who], _risk(*states)) == frozenset(expected)


def test_an_inactive_coordinator_may_do_nothing_by_role():
    gone = person(11, roles=["coordinator"])
    gone.active = False
    assert rules.allowed_actions(gone, _risk()) == frozenset()
    assert not rules.may_set_scale(gone)


def test_the_register_shows_exactly_what_may_read_allows(app, make):
    """`visible_risks` (the register, the process page, the CA page) agrees with `may_read`."""
    own, other = make.department(), make.department()
    coordinator = make.user(roles=["coordinator"])
    owner = make.user(departments=[(other.id, "staff")])
    people = [coordinator, owner, make.user(roles=["auditor"]),
              make.user(departments=[(own.id, "department_head")]),
              make.user(departments=[(other.id, "department_head")]),
              make.user(departments=[(own.id, "staff")])]
    ids = [make_risk(app, own.id, actor_id=coordinator.id, action_owner_id=owner.id).risk_id,
           make_risk(app, other.id, actor_id=coordinator.id).risk_id]
    with app.app_context():
        risks = [db.session.get(Risk, i) for i in ids]
        for person in people:
            user = db.session.get(User, person.id)
            seen = set(db.session.scalars(rules.visible_risks(user, select(Risk.id))))
            assert seen == {r.id for r in risks if rules.may_read(user, r)}, user.email
