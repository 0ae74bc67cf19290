"""Issue 15: the quality pages' remaining actions through the API: an objective and a step of
its plan deleted, a risk's treatment action changed and deleted, a measure's value recorded
with its evidence file; each by the page's service, with its refusals and If-Match."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from tests.api.helpers import bearer
from tests.documents.helpers import pdf_bytes
from tests.quality.measures.helpers import cast, measure
from tests.quality.objectives.helpers import objective_with_plan
from tests.quality.risks.helpers import make_risk


def _events(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action))


def _delete(api, url: str, headers: dict):
    """Delete what the URL names with the ETag just read."""
    etag = api.get(url, headers=headers).headers["ETag"]
    return api.delete(url, headers={**headers, "If-Match": etag})


@pytest.mark.one_database
def test_an_objective_and_a_plan_step_are_deleted_as_on_the_page(app, make, clock):
    own = make.department()
    coordinator, head = make.user(roles=["coordinator"]), make.user(
        departments=[(own.id, "department_head")])
    api, mine = app.test_client(), bearer(app, head.id)
    kept = objective_with_plan(app, own.id, coordinator_id=coordinator.id, owner_id=head.id,
                               done=True)
    step = f"/api/v1/objectives/{kept.objective_id}/items/{kept.item_id}"
    done = _delete(api, step, mine)  # a step carried out is the record 6.2 asks for
    assert (done.status_code, done.json["error"]["code"]) == (409, "conflict")
    assert api.delete(step, headers=mine).status_code == 428
    stale = api.delete(step, headers={**mine, "If-Match": '"quality_plan_item-1-0"'})
    assert stale.status_code == 412
    staff = bearer(app, make.user(departments=[(own.id, "staff")]).id)
    assert _delete(api, step, staff).status_code == 403
    gone = objective_with_plan(app, own.id, coordinator_id=coordinator.id, owner_id=head.id)
    step = f"/api/v1/objectives/{gone.objective_id}/items/{gone.item_id}"
    assert _delete(api, step, mine).status_code == 204
    assert api.get(step, headers=mine).status_code == 404
    objective = f"/api/v1/objectives/{gone.objective_id}"
    assert _delete(api, objective, mine).status_code == 204
    assert api.get(objective, headers=mine).status_code == 404
    assert (_events(app, "objective.item_delete"), _events(app, "objective.delete")) == (1, 1)


@pytest.mark.one_database
def test_a_treatment_action_is_changed_and_deleted_as_on_the_page(app, make, clock):
    own = make.department()
    coordinator = make.user(roles=["coordinator"])
    owner = make.user(departments=[(own.id, "staff")])
    risk = make_risk(app, own.id, actor_id=coordinator.id, action_owner_id=owner.id)
    api, boss = app.test_client(), bearer(app, coordinator.id)
    url = f"/api/v1/risks/{risk.risk_id}/actions/{risk.action_id}"
    etag = api.get(url, headers=boss).headers["ETag"]
    assert api.patch(url, json={"due_on": "2026-09-30"}, headers=boss).status_code == 428
    past = api.patch(url, json={"due_on": "2026-01-01"}, headers={**boss, "If-Match": etag})
    assert (past.status_code, past.json["error"]["field"]) == (400, "due_on")
    changed = api.patch(url, json={"due_on": "2026-09-30"}, headers={**boss, "If-Match": etag})
    assert changed.status_code == 200, changed.json
    assert (changed.json["due_on"], changed.json["description"]) == \
        ("2026-09-30", "Bố trí thêm cán bộ")
    assert changed.headers["ETag"] != etag
    assert api.delete(url, headers={**boss, "If-Match": etag}).status_code == 412
    assert _delete(api, url, bearer(app, owner.id)).status_code == 403  # owns, not manages
    assert _delete(api, url, boss).status_code == 204
    assert api.get(url, headers=boss).status_code == 404
    done = make_risk(app, own.id, actor_id=coordinator.id, action_owner_id=owner.id)
    url = f"/api/v1/risks/{done.risk_id}/actions/{done.action_id}"
    etag = api.get(url, headers=boss).headers["ETag"]
    api.post(url + "/done", json={"note": "Đã bố trí"}, headers={**boss, "If-Match": etag})
    refused = api.patch(url, json={"description": "Khác"}, headers={
        **boss, "If-Match": api.get(url, headers=boss).headers["ETag"]})
    assert refused.status_code == 409  # a done action is the record of the treatment
    assert (_events(app, "risk.action_edit"), _events(app, "risk.action_delete")) == (1, 1)


@pytest.mark.one_database
def test_a_value_is_recorded_with_its_evidence_file(app, make, clock):
    people = cast(make)
    plain = measure(app, people)
    api, recorder = app.test_client(), bearer(app, people.recorder.id)
    url = f"/api/v1/measures/{plain}/values/with-evidence"
    for wrong, status in (("not a file", 400), ((io.BytesIO(b"MZ\x90\x00"), "so.pdf"), 415)):
        refused = api.post(url, data={"period": "2026-05", "value": "97.5", "file": wrong},
                           headers=recorder)
        assert (refused.status_code, refused.json["error"]["field"]) == (status, "file")
    staff = bearer(app, people.staff.id)
    proof = {"period": "2026-05", "value": "97.5", "note": "Một cửa",
             "file": (io.BytesIO(pdf_bytes()), "so-theo-doi.pdf")}
    assert api.post(url, data=dict(proof), headers=staff).status_code == 403
    proof["file"] = (io.BytesIO(pdf_bytes()), "so-theo-doi.pdf")
    sent = api.post(url, data=proof, headers=recorder)
    assert sent.status_code == 201, sent.json
    assert (sent.json["period"], sent.json["has_evidence"], sent.json["missed"]) == \
        ("2026-05", True, False)
