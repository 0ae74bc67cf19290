"""10.2.1 e: a closed corrective action asks its department's head and the coordinators
whether the risk register needs updating; the answer is recorded once, links the risk, and
shows on the corrective action's page and the risk's."""

from __future__ import annotations

from compliance.core.extensions import db
from compliance.notifications.models import Notification
from compliance.quality.risks.models import RiskCaReview, RiskLink
from tests.quality.risks.helpers import make_risk, raise_ca


def test_a_closed_corrective_action_asks_and_the_answer_is_recorded(app, make, login, clock):
    dept, elsewhere = make.department(), make.department()
    coordinator = make.user(roles=["coordinator"])
    head = make.user(departments=[(dept.id, "department_head")])
    other_head = make.user(departments=[(elsewhere.id, "department_head")])
    risk = make_risk(app, dept.id, actor_id=coordinator.id)
    ca = raise_ca(app, dept.id, coordinator.id, closed=True)

    with app.app_context():
        asked = db.session.scalars(db.select(Notification).where(
            Notification.kind == "ca_closed_risk_review")).all()
    assert {n.user_id for n in asked} == {head.id, coordinator.id}
    assert asked[0].link == f"/risks/?department={dept.id}&after_ca={ca.ca_id}"

    client = app.test_client()
    login(client, head.email)
    ca_page = client.get(f"/corrective-actions/{ca.ca_id}").get_data(as_text=True)
    assert "Not yet recorded whether the risk register needed updating" in ca_page
    register = client.get(asked[0].link).get_data(as_text=True)
    assert f"/risks/after-ca/{ca.ca_id}" in register and risk.reference in register
    # "Updated" must name the risk.
    missing = client.post(f"/risks/after-ca/{ca.ca_id}", data={"outcome": "updated",
                                                                "risk_id": 0, "note": ""})
    assert missing.status_code == 400
    assert "Choose the risk of this department that you updated." in \
        missing.get_data(as_text=True)
    # Someone heading another department may not answer for this one.
    outsider = app.test_client()
    login(outsider, other_head.email)
    assert outsider.post(f"/risks/after-ca/{ca.ca_id}", data={
        "outcome": "no_change"}).status_code == 403

    assert client.post(f"/risks/after-ca/{ca.ca_id}", data={
        "outcome": "updated", "risk_id": risk.risk_id, "note": "Khả năng giảm"}
    ).status_code == 302
    with app.app_context():
        answer = db.session.scalars(db.select(RiskCaReview)).one()
        assert (answer.outcome, answer.risk_id) == ("updated", risk.risk_id)
        assert db.session.scalars(db.select(RiskLink.corrective_action_id)).all() == [ca.ca_id]
    ca_page = client.get(f"/corrective-actions/{ca.ca_id}").get_data(as_text=True)
    assert f"Risk register reviewed after {ca.reference}: updated risk {risk.reference}" \
        in ca_page
    risk_page = client.get(f"/risks/{risk.risk_id}").get_data(as_text=True)
    assert f'data-testid="ca-review-{ca.ca_id}"' in risk_page and ca.reference in risk_page
    # Once answered, answered.
    assert client.post(f"/risks/after-ca/{ca.ca_id}", data={
        "outcome": "no_change"}).status_code == 409


def test_a_corrective_action_not_closed_is_not_answered(app, make, login, clock):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    ca = raise_ca(app, dept.id, coordinator.id)
    client = app.test_client()
    login(client, coordinator.email)
    assert client.post(f"/risks/after-ca/{ca.ca_id}", data={
        "outcome": "no_change"}).status_code == 409
