"""The rule book of objectives and of the context as a table: role × relationship × verb.

Service level and fast: plain in-memory objects, no app, no database, no HTTP. The route
matrix (tests/test_permissions.py) checks that the pages ask this rule book."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from compliance.quality.objectives import rules
from compliance.quality.objectives.models import Objective, PlanItem
from tests.policy_people import person, standard_people

OWN, OTHER = 1, 2
TODAY = date(2026, 6, 15)



# The people, each by role and relationship to the objective of department OWN.
PEOPLE = {
    **standard_people(OWN, OTHER),
    "item_owner": person(8, memberships=[(OTHER, "staff")]),  # owns a plan item of it
    "no_role": person(9),
}
OWNER_ID = 8


def _objective(department_id: int | None = OWN, result: str | None = None,
               year: int = 2026) -> Objective:
    objective = Objective(id=1, year=year, department_id=department_id, statement_vi="x",
                          result=result)
    objective.items = [PlanItem(id=1, description="x", owner_id=OWNER_ID, due_on=TODAY,
                                done=False)]
    for item in objective.items:
        item.objective = objective
    return objective


VERBS = {
    "read": lambda u, o: rules.may_read(u, o),
    "manage": lambda u, o: rules.may_manage(u, o),
    "edit": lambda u, o: rules.may_edit(u, o),
    "plan": lambda u, o: rules.may_plan(u, o),
    "progress": lambda u, o: rules.may_note_progress(u, o),
    "evaluate": lambda u, o: rules.may_evaluate(u, o),
    "complete_item": lambda u, o: rules.may_complete_item(u, o.items[0]),
    "set_here": lambda u, o: rules.may_manage_in(u, o.department_id),
    "read_context": lambda u, o: rules.may_read_context(u),
    "manage_context": lambda u, o: rules.may_manage_context(u),
}
Y, N = True, False
#               read manage edit plan progress evaluate item set_here | context read manage
POLICY = {
    "admin":       (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "coordinator": (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "auditor":     (Y, N, N, N, N, N, N, N, Y, N),
    "head_own":    (Y, Y, Y, Y, Y, Y, Y, Y, Y, N),
    "head_other":  (N, N, N, N, N, N, N, N, Y, N),
    "staff_own":   (Y, N, N, N, N, N, N, N, N, N),
    "staff_other": (N, N, N, N, N, N, N, N, N, N),
    # The owner of a plan item marks it done and reads its objective; nothing more.
    "item_owner":  (Y, N, N, N, N, N, Y, N, N, N),
    "no_role":     (N, N, N, N, N, N, N, N, N, N),
}
# The organisation's own objective: everyone with a role reads it; coordinators manage it.
ORGANISATION_POLICY = {
    "admin": (Y, Y), "coordinator": (Y, Y), "auditor": (Y, N), "head_own": (Y, N),
    "head_other": (Y, N), "staff_own": (Y, N), "staff_other": (Y, N), "item_owner": (Y, N),
    "no_role": (N, N),
}


@pytest.mark.parametrize("who", sorted(POLICY))
def test_who_may_do_what(who):
    objective, user = _objective(), PEOPLE[who]
    got = tuple(check(user, objective) for check in VERBS.values())
    assert dict(zip(VERBS, got, strict=True)) == dict(zip(VERBS, POLICY[who], strict=True))


@pytest.mark.parametrize("who", sorted(ORGANISATION_POLICY))
def test_the_organisations_objectives_are_read_by_all_and_set_by_coordinators(who):
    objective, user = _objective(department_id=None), PEOPLE[who]
    assert (rules.may_read(user, objective), rules.may_manage(user, objective)) == \
        ORGANISATION_POLICY[who]


MANAGE = {"read", "edit", "add_item", "progress", "delete"}
STATE_CASES = [
    # (objective's facts, who, what the page offers)
    ({}, "head_own", MANAGE),
    ({}, "auditor", {"read"}),
    ({}, "item_owner", {"read"}),
    ({}, "head_other", set()),
    ({"year": 2025}, "coordinator", MANAGE | {"evaluate"}),
    # Evaluated, it is closed: only the evaluation may be corrected.
    ({"year": 2025, "result": "achieved"}, "head_own", {"read", "evaluate"}),
    ({"year": 2025, "result": "achieved"}, "staff_own", {"read"}),
]


@pytest.mark.parametrize(("facts", "who", "expected"), STATE_CASES,
                         ids=[f"{w}-{sorted(f.items())}" for f, w, _ in STATE_CASES])
def test_allowed_actions_follow_the_rules_the_state_and_the_date(facts, who, expected):
    assert rules.allowed_actions(PEOPLE[who], _objective(**facts), TODAY) == \
        frozenset(expected)


ITEM_CASES = [
    ({}, "item_owner", {"done"}),
    ({}, "head_own", {"done", "edit", "delete"}),
    ({"done": True}, "item_owner", {"reopen"}),
    # A step done is the record of the plan carried out: changed, never deleted.
    ({"done": True}, "head_own", {"reopen", "edit"}),
    ({}, "auditor", set()),
    ({"result": "not_achieved"}, "coordinator", set()),
]


@pytest.mark.parametrize(("facts", "who", "expected"), ITEM_CASES,
                         ids=[f"{w}-{sorted(f.items())}" for f, w, _ in ITEM_CASES])
def test_what_a_plan_item_offers(facts, who, expected):
    objective = _objective(result=facts.get("result"))
    objective.items[0].done = facts.get("done", False)
    assert rules.allowed_on_item(PEOPLE[who], objective.items[0]) == frozenset(expected)


def test_the_visible_statement_for_those_who_read_all_is_only_their_organisation():
    limited = rules.visible_objectives(PEOPLE["auditor"], select(Objective))
    # Every row of their organisation (issue 14), nothing else narrowed.
    assert str(limited.whereclause.compile(compile_kwargs={"literal_binds": True})) == \
        "quality_objective.organisation_id = 1"
    assert rules.managed_department_ids(PEOPLE["coordinator"]) is None
    assert rules.managed_department_ids(PEOPLE["head_own"]) == {OWN}
    assert rules.managed_department_ids(PEOPLE["staff_own"]) == set()
