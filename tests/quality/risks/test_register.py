"""The register through the pages: a risk added and rated, its level from the scale, rated
after treatment, a treatment action done by its owner, the status, a stale edit, and the
scale's bands refused at the field."""

from __future__ import annotations

import re

from flask import render_template_string
from flask_login import login_user

from compliance.audit_trail.models import AuditEvent
from compliance.auth.models import User
from compliance.core.extensions import db
from compliance.org.models import Process
from compliance.quality.risks.models import Risk, RiskAction, RiskScale
from tests.quality.risks.helpers import make_risk


def _level(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">.*?data-level="([a-z_]*)"', page, re.S)
    return match.group(1) if match else ""


def _risk(app, risk_id: int) -> Risk:
    with app.app_context():
        risk = db.session.get(Risk, risk_id)
        db.session.expunge(risk)
        return risk


def _trail(app, risk_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.entity_type == "risk",
                                               AuditEvent.entity_id == str(risk_id))
            .order_by(AuditEvent.seq)))


def _edit(risk: Risk, **changes) -> dict:
    form = {"kind": risk.kind, "description": risk.description, "cause": risk.cause,
            "consequence": risk.consequence, "likelihood": risk.likelihood,
            "impact": risk.impact, "residual_likelihood": 0, "residual_impact": 0,
            "process_id": risk.process_id or 0, "review_on": risk.review_on.isoformat(),
            "version": risk.version}
    return {**form, **changes}


def test_a_head_adds_a_risk_rates_it_after_treatment_and_its_owner_marks_the_action_done(
        app, make, login, clock):
    dept = make.department()
    process = make.process(dept.id)
    head = make.user(departments=[(dept.id, "department_head")])
    staff = make.user(departments=[(dept.id, "staff")])
    client = app.test_client()
    login(client, head.email)

    response = client.post("/risks/new", data={
        "department_id": dept.id, "process_id": process.id, "kind": "risk",
        "description": "Hồ sơ đất đai trả kết quả trễ hạn", "cause": "Thiếu cán bộ",
        "consequence": "Công dân khiếu nại", "likelihood": 3, "impact": 4, "review_on": ""})
    assert response.status_code == 302
    risk_id = int(response.headers["Location"].rsplit("/", 1)[1])
    risk = _risk(app, risk_id)
    assert (risk.score, risk.reference, risk.process_id) == (12, "R-01", process.id)
    assert risk.review_on.isoformat() == "2027-06-15"  # a year on, when left empty
    page = client.get(f"/risks/{risk_id}").get_data(as_text=True)
    assert _level(page, "level-before") == "high"  # 12 is in the default 10–16 band

    # Rated again after treatment: 2 × 2 = 4 is low.
    assert client.post(f"/risks/{risk_id}/edit", data=_edit(
        risk, residual_likelihood=2, residual_impact=2)).status_code == 302
    page = client.get(f"/risks/{risk_id}").get_data(as_text=True)
    assert _level(page, "level-after") == "low"
    # The form that was open before that save is stale now: refused, nothing written.
    stale = client.post(f"/risks/{risk_id}/edit", data=_edit(risk, description="Khác"))
    assert stale.status_code == 409
    assert "Reload the page" in stale.get_data(as_text=True)
    assert _risk(app, risk_id).description.startswith("Hồ sơ")

    # A treatment action for a member of staff, who marks it done.
    assert client.post(f"/risks/{risk_id}/actions", data={
        "description": "Bố trí thêm một cán bộ tiếp nhận", "owner_id": staff.id,
        "due_on": "2026-07-01"}).status_code == 302
    # Treated needs every action done.
    refused = client.post(f"/risks/{risk_id}/status", data={
        "status": "treated", "note": "", "version": _risk(app, risk_id).version})
    assert refused.status_code == 400
    assert "Every treatment action must be done first." in refused.get_data(as_text=True)
    with app.app_context():
        action = db.session.scalars(db.select(RiskAction)).one()
    owner = app.test_client()
    login(owner, staff.email)
    page = owner.get(f"/risks/{risk_id}").get_data(as_text=True)
    assert f"/risks/{risk_id}/actions/{action.id}/done" in page
    assert owner.post(f"/risks/{risk_id}/actions/{action.id}/done", data={
        f"action{action.id}-note": "Đã bố trí", f"action{action.id}-version": action.version,
    }).status_code == 302
    # Staff read their department's risk but change nothing else on it.
    assert owner.get(f"/risks/{risk_id}/edit").status_code == 403

    assert client.post(f"/risks/{risk_id}/status", data={
        "status": "treated", "note": "", "version": _risk(app, risk_id).version}
    ).status_code == 302
    assert _risk(app, risk_id).status == "treated"
    assert _trail(app, risk_id) == ["risk.create", "risk.update", "risk.action_add",
                                    "risk.action_done", "risk.status"]


def test_bad_bands_are_refused_at_their_field_with_the_input_kept(app, make, login, clock):
    coordinator = make.user(roles=["coordinator"])
    client = app.test_client()
    login(client, coordinator.email)
    assert client.get("/risks/scale").status_code == 200
    gap = {"size": 5, "version": 0, "low_from": 1, "low_to": 4, "medium_from": 6,
           "medium_to": 9, "high_from": 10, "high_to": 16, "very_high_from": 17,
           "very_high_to": 25}
    response = client.post("/risks/scale", data=gap)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    # The message sits with the field it is about, and what was typed is still there.
    field = re.search(r'<input[^>]*id="medium_from"[^>]*>', page).group(0)
    assert 'value="6"' in field and "is-invalid" in field
    assert "scores 5 to 5 would be in no band" in page
    overlap = client.post("/risks/scale", data={**gap, "medium_from": 4})
    assert overlap.status_code == 400
    assert "bands may not overlap" in overlap.get_data(as_text=True)
    short = client.post("/risks/scale", data={**gap, "medium_from": 5, "very_high_to": 24})
    assert short.status_code == 400
    assert "scores 25 to 25 would be in no band" in short.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(RiskScale, 1) is None  # nothing stored

    # A risk rated 4 × 5 keeps the scale from shrinking to 3 × 3.
    dept = make.department()
    risk_id = make_risk(app, dept.id, actor_id=coordinator.id, likelihood=4, impact=5).risk_id
    three = {"size": 3, "version": 0, "low_from": 1, "low_to": 2, "medium_from": 3,
             "medium_to": 4, "high_from": 5, "high_to": 9}
    shrink = client.post("/risks/scale", data=three)
    assert shrink.status_code == 400
    assert "1 risk is rated above 3: rate it again" in shrink.get_data(as_text=True)

    # Good bands are saved, and the risk's level follows them (20 is now "high").
    good = {**gap, "medium_from": 5, "high_to": 20, "very_high_from": 21}
    assert client.post("/risks/scale", data=good).status_code == 302
    page = client.get(f"/risks/{risk_id}").get_data(as_text=True)
    assert _level(page, "level-before") == "high"
    # The form shown before that save carries version 0: stale now.
    assert client.post("/risks/scale", data=good).status_code == 409


def test_the_process_pages_include_point_lists_the_risks_the_reader_may_see(app, make):
    """`quality/risks/_for_process.html`, given `process`, as the process page includes it."""
    dept, other = make.department(), make.department()
    process = make.process(dept.id)
    coordinator = make.user(roles=["coordinator"])
    mine = make_risk(app, dept.id, actor_id=coordinator.id, process_id=process.id)
    make_risk(app, dept.id, actor_id=coordinator.id)  # of no process
    staff = make.user(departments=[(dept.id, "staff")])
    outsider = make.user(departments=[(other.id, "staff")])
    include = '{% include "quality/risks/_for_process.html" ignore missing %}'
    with app.app_context():
        found = db.session.get(Process, process.id)
        for person, shown in ((staff, True), (outsider, False)):
            with app.test_request_context():
                login_user(db.session.get(User, person.id))
                html = render_template_string(include, process=found)
            assert 'data-testid="process-risks"' in html
            assert (mine.reference in html) is shown
