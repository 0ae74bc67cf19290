"""The edits that complete the quality pages, through the pages: a plan step and an objective
deleted from their edit pages, a treatment action changed and deleted; each refused on a
stale version (409), bad input refused at its field, every change in the audit trail."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core import clock
from compliance.core.extensions import db
from compliance.quality.objectives.models import Objective, PlanItem
from compliance.quality.risks.models import RiskAction
from tests.quality.objectives.helpers import objective_with_plan, version_of
from tests.quality.risks.helpers import make_risk


def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_a_plan_step_and_then_its_objective_are_deleted(app, client, make, login):
    _english(client)
    dept = make.department(code="TP")
    head = make.user(departments=[(dept.id, "department_head")])
    coordinator = make.user(roles=["coordinator"])
    ids = objective_with_plan(app, dept.id, coordinator_id=coordinator.id, owner_id=head.id)
    login(client, head.email)
    base = f"/objectives/{ids.objective_id}"
    page = client.get(f"{base}/items/{ids.item_id}/edit").get_data(as_text=True)
    assert 'data-testid="delete-item"' in page
    version = version_of(app, PlanItem, ids.item_id)
    stale = client.post(f"{base}/items/{ids.item_id}/delete", data={"version": version + 1})
    assert stale.status_code == 409 and "Someone else changed" in stale.get_data(as_text=True)
    gone = client.post(f"{base}/items/{ids.item_id}/delete", data={"version": version})
    assert gone.status_code == 302 and gone.headers["Location"].endswith(f"{base}#plan")
    page = client.get(f"{base}/edit").get_data(as_text=True)
    assert 'data-testid="delete-objective"' in page
    response = client.post(f"{base}/delete",
                           data={"version": version_of(app, Objective, ids.objective_id)})
    assert response.status_code == 302 and "/objectives/?year=" in response.headers["Location"]
    assert client.get(base).status_code == 403  # a head learns nothing of a missing one
    with app.app_context():
        assert db.session.get(Objective, ids.objective_id) is None
        assert db.session.get(PlanItem, ids.item_id) is None
    assert _actions(app)[-2:] == ["objective.item_delete", "objective.delete"]


def test_a_treatment_action_is_changed_then_deleted(app, client, make, login):
    _english(client)
    dept = make.department(code="TP")
    coordinator = make.user(roles=["coordinator"])
    owner = make.user(departments=[(dept.id, "staff")])
    ids = make_risk(app, dept.id, actor_id=coordinator.id, action_owner_id=owner.id)
    login(client, coordinator.email)
    url = f"/risks/{ids.risk_id}/actions/{ids.action_id}"
    assert 'data-testid="edit-action-1"' in client.get(f"/risks/{ids.risk_id}").get_data(
        as_text=True)
    assert 'data-testid="delete-action"' in client.get(f"{url}/edit").get_data(as_text=True)
    today = clock.today()
    sent = {"description": "Tập huấn lại cán bộ một cửa", "owner_id": owner.id,
            "due_on": (today - timedelta(days=1)).isoformat(), "version": 1}
    refused = client.post(f"{url}/edit", data=sent)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "The due date cannot be in the past." in page
    assert page.index("The due date cannot be in the past.") > page.index('name="due_on"')
    assert "Tập huấn lại cán bộ một cửa" in page  # the input is kept
    saved = client.post(f"{url}/edit", data={**sent, "due_on": (today + timedelta(days=9))
                                             .isoformat()})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        f"#action-{ids.action_id}")
    with app.app_context():
        action = db.session.get(RiskAction, ids.action_id)
        assert action.description == "Tập huấn lại cán bộ một cửa" and action.version == 2
    assert client.post(f"{url}/edit", data=sent).status_code == 409  # shown at version 1
    assert client.post(f"{url}/delete", data={"version": 1}).status_code == 409
    assert client.post(f"{url}/delete", data={"version": 2}).status_code == 302
    with app.app_context():
        assert db.session.get(RiskAction, ids.action_id) is None
    assert _actions(app)[-2:] == ["risk.action_edit", "risk.action_delete"]
