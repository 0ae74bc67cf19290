"""The scheduler chases an overdue plan item exactly once per person and step, and the
context's review dates; the policy in force is shown on the home page and the public
register, and its absence is said to coordinators."""

from __future__ import annotations

from datetime import date

from tests.notifications.conftest import at
from tests.notifications.helpers import raised, run
from tests.quality.objectives.helpers import (
    context_records,
    objective_with_plan,
    policy_document,
)

DUE = date(2026, 6, 1)


def test_an_overdue_plan_item_is_chased_once_then_escalated(app, make):
    dept = make.department()
    head = make.user(departments=[(dept.id, "department_head")])
    owner = make.user(departments=[(dept.id, "staff")])
    coordinator = make.user(roles=["coordinator"])
    objective_with_plan(app, dept.id, coordinator_id=coordinator.id, owner_id=owner.id,
                        year=2026, due_on=DUE)
    for _ in range(2):
        run(app, "alerts.objective_items", at(date(2026, 6, 2)))
    assert [(n.user_id, n.kind) for n in raised(app)] == [
        (owner.id, "objective_item_overdue"), (head.id, "objective_item_overdue_escalated")]
    # A week late, the coordinators hear of it too; nobody hears twice.
    for _ in range(2):
        run(app, "alerts.objective_items", at(date(2026, 6, 9)))
    assert [(n.user_id, n.kind) for n in raised(app)][2:] == [
        (coordinator.id, "objective_item_overdue_escalated")]
    assert "/objectives/" in raised(app)[0].link


def test_context_reviews_due_reach_the_coordinators_once(app, make, clock):
    coordinator = make.user(roles=["coordinator"])
    context_records(app, coordinator.id, review_on=date(2026, 6, 30))
    for _ in range(2):
        run(app, "alerts.context_reviews", at(date(2026, 6, 23)))
    assert sorted(n.kind for n in raised(app, user_id=coordinator.id)) == [
        "context_issue_review_due", "interested_party_review_due"]


def test_the_policy_in_force_is_on_the_home_page_and_the_public_register(
        app, client, make, login):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    staff = make.user(departments=[(make.department().id, "staff")])
    login(client, coordinator.email)
    assert 'data-testid="quality-policy-missing"' in client.get("/").get_data(as_text=True)
    code = policy_document(app, dept.id, coordinator.id)
    home = client.get("/").get_data(as_text=True)
    assert "Quality policy of the district" in home and "quality-policy-missing" not in home
    client.post("/logout")
    # Staff of another department cannot open the document's page: the public copy it is.
    login(client, staff.email)
    home = client.get("/").get_data(as_text=True)
    assert "Quality policy of the district" in home and f"/public/{code}" in home
    client.post("/logout")
    public = client.get("/public/").get_data(as_text=True)
    assert 'data-testid="quality-policy"' in public and f"/public/{code}" in public
