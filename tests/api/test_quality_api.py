"""Issue 15: measures and their values, objectives and risks through the API, with the rules
and services of the quality pages; the value an integration posts is judged and announced
as the page's, and its trail names the token."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.notifications.models import Notification
from tests.api.helpers import bearer
from tests.capa.helpers import ca_target
from tests.quality.measures.helpers import cast, measure
from tests.quality.objectives.helpers import objective_with_plan
from tests.quality.risks.helpers import make_risk


def _ids(api, url: str, headers: dict) -> list[int]:
    answer = api.get(url, headers=headers)
    assert answer.status_code == 200, answer.json
    return [row["id"] for row in answer.json]


def test_a_measure_is_found_by_code_and_its_values_posted(app, make, clock):
    people = cast(make)
    plain = measure(app, people)
    ratio = measure(app, people, code="KPI-TP-02", ratio=True)
    api, recorder = app.test_client(), bearer(app, people.recorder.id)
    boss = bearer(app, people.coordinator.id)
    assert _ids(api, "/api/v1/measures/?code=KPI-TP-01", recorder) == [plain]
    assert _ids(api, f"/api/v1/measures/?department={people.other.id}", boss) == []
    one = api.get(f"/api/v1/measures/{plain}", headers=recorder)
    assert one.headers["ETag"] == f'"measure-{plain}-{one.json["version"]}"'
    assert one.json["actions"] == ["read", "record"] and one.json["department_id"] == \
        people.dept.id
    values = f"/api/v1/measures/{plain}/values/"
    met = api.post(values, json={"period": "2026-05", "value": 97.5, "note": "Một cửa"},
                   headers=recorder)
    assert met.status_code == 201, met.json
    assert (met.json["period_start"], met.json["missed"], met.json["source"]) == \
        ("2026-05-01", False, "form")
    missed = api.post(values, json={"period": "2026-04", "value": 90}, headers=recorder)
    assert missed.status_code == 201 and missed.json["missed"] is True
    # The refusals of the page, at their field: a period taken, of another frequency.
    for body in ({"period": "2026-05", "value": 99}, {"period": "2026-Q1", "value": 99},
                 {"period": "2026-03"}):
        refused = api.post(values, json=body, headers=recorder)
        assert refused.status_code == 400, body
        assert refused.json["error"]["field"] in ("period", "value"), refused.json
    staff, outsider = bearer(app, people.staff.id), bearer(app, people.outsider.id)
    assert api.post(values, json={"period": "2026-03", "value": 1},
                    headers=staff).status_code == 403
    assert api.get(f"/api/v1/measures/{plain}", headers=outsider).status_code == 404
    counted = api.post(f"/api/v1/measures/{ratio}/values/",
                       json={"period": "2026-05", "received": 40, "on_time": 38},
                       headers=recorder)
    assert counted.status_code == 201 and counted.json["value"] == 95.0
    first = api.get(values + "?sort=-period_start&limit=1", headers=staff)
    after = re.search(r"<([^>]+)>", first.headers["Link"]).group(1)
    assert [first.json[0]["period"], *(v["period"] for v in api.get(
        after, headers=staff).json)] == ["2026-05", "2026-04"]
    read = api.get(f"{values}{missed.json['id']}", headers=staff).json
    assert (read["value"], read["corrective_action_id"]) == (90.0, None)
    with app.app_context():
        # Announced as the page's miss is, and recorded as the token's act.
        assert db.session.scalar(select(Notification.id).where(
            Notification.kind == "measure_missed")) is not None
        labels = db.session.scalars(select(AuditEvent.actor_label).where(
            AuditEvent.action == "measure_value.record")).all()
    assert len(labels) == 3 and all(" via token " in label for label in labels)


@pytest.mark.one_database
def test_objectives_and_risks_are_listed_read_and_followed_up(app, make, clock):
    own, other = make.department(), make.department()
    coordinator = make.user(roles=["coordinator"])
    head = make.user(departments=[(own.id, "department_head")])
    ours = objective_with_plan(app, own.id, coordinator_id=coordinator.id, owner_id=head.id)
    theirs = objective_with_plan(app, other.id, coordinator_id=coordinator.id,
                                 owner_id=coordinator.id, year=2025)
    api, boss, mine = app.test_client(), bearer(app, coordinator.id), bearer(app, head.id)
    assert _ids(api, "/api/v1/objectives/", boss) == [theirs.objective_id, ours.objective_id]
    assert _ids(api, "/api/v1/objectives/?year=2025&status=open", boss) == \
        [theirs.objective_id]
    assert _ids(api, "/api/v1/objectives/", mine) == [ours.objective_id]
    read = api.get(f"/api/v1/objectives/{ours.objective_id}", headers=mine)
    assert [item["id"] for item in read.json["items"]] == [ours.item_id]
    assert read.headers["ETag"].startswith(f'"quality_objective-{ours.objective_id}-')
    assert api.get(f"/api/v1/objectives/{theirs.objective_id}",
                   headers=mine).status_code == 404
    progress = f"/api/v1/objectives/{ours.objective_id}/progress/"
    note = {"noted_on": "2026-06-10", "text": "Quý 2: 98% đúng hạn", "value": 98}
    noted = api.post(progress, json=note, headers=mine)
    assert noted.status_code == 201 and noted.json["value"] == 98.0, noted.json
    assert api.get(f"/api/v1/objectives/{ours.objective_id}",
                   headers=mine).json["current_value"] == 98.0
    future = api.post(progress, json={**note, "noted_on": "2026-07-01"}, headers=mine)
    assert future.status_code == 400 and future.json["error"]["field"] == "noted_on"
    staff = bearer(app, make.user(departments=[(own.id, "staff")]).id)
    assert api.post(progress, json=note, headers=staff).status_code == 403
    low = make_risk(app, own.id, actor_id=coordinator.id, likelihood=1, impact=2)
    high = make_risk(app, own.id, actor_id=coordinator.id, action_owner_id=head.id)
    hidden = make_risk(app, other.id, actor_id=coordinator.id)
    assert _ids(api, "/api/v1/risks/?sort=-score", mine) == [high.risk_id, low.risk_id]
    assert _ids(api, f"/api/v1/risks/?department={other.id}", boss) == [hidden.risk_id]
    risk = api.get(f"/api/v1/risks/{high.risk_id}", headers=mine).json
    assert (risk["score"], [a["id"] for a in risk["treatment"]]) == (12, [high.action_id])
    assert "edit" in risk["actions"]
    assert api.get(f"/api/v1/risks/{hidden.risk_id}", headers=mine).status_code == 404
    review = {"note": "Chưa có hồ sơ trễ mới", "next_review_on": "2026-12-15"}
    url = f"/api/v1/risks/{high.risk_id}"
    assert api.post(url + "/review", json=review, headers=mine).status_code == 428
    etag = api.get(url, headers=mine).headers["ETag"]
    reviewed = api.post(url + "/review", json=review, headers={**mine, "If-Match": etag})
    assert reviewed.status_code == 200 and reviewed.json["review_on"] == "2026-12-15"
    assert api.post(url + "/review", json=review,
                    headers={**mine, "If-Match": etag}).status_code == 412
    treatment = f"{url}/actions/{high.action_id}"
    etag = api.get(treatment, headers=mine).headers["ETag"]
    done = api.post(treatment + "/done", json={"note": "Đã bố trí"},
                    headers={**mine, "If-Match": etag})
    assert done.status_code == 200 and done.json["status"] == "done"
    assert api.post(treatment + "/done", json={}, headers={
        **mine, "If-Match": done.headers["ETag"]}).status_code == 409


def test_a_measure_is_defined_and_changed_as_its_pages_do(app, make, clock):
    people = cast(make)
    api, head = app.test_client(), bearer(app, people.head.id)
    new = {"code": "kpi-tp-03", "process_id": people.process.id, "name_vi": "Tỷ lệ trả đúng hạn",
           "direction": "higher", "target": 90, "frequency": "quarterly",
           "first_period": "2026-Q1", "recorder_id": people.recorder.id}
    made = api.post("/api/v1/measures/", json=new, headers=head)
    assert made.status_code == 201, made.json
    assert (made.json["code"], made.json["ratio"], made.json["active"]) == \
        ("KPI-TP-03", False, True)
    url = f"/api/v1/measures/{made.json['id']}"
    assert made.headers["ETag"] == api.get(url, headers=head).headers["ETag"]
    # The page's refusals, at their field: a code taken, a period of another frequency.
    for wrong, field in (({"code": "KPI-TP-03"}, "code"), (
            {"code": "KPI-TP-04", "first_period": "2026-01"}, "first_period")):
        refused = api.post("/api/v1/measures/", json={**new, **wrong}, headers=head)
        assert refused.status_code == 400 and refused.json["error"]["field"] == field
    staff = bearer(app, people.staff.id)
    assert api.post("/api/v1/measures/", json=new, headers=staff).status_code == 403
    assert api.patch(url, json={"target": 92}, headers=head).status_code == 428
    changed = api.patch(url, json={"target": 92, "unit": "%"},
                        headers={**head, "If-Match": made.headers["ETag"]})
    assert changed.status_code == 200, changed.json
    assert (changed.json["target"], changed.json["unit"], changed.json["frequency"],
            changed.json["recorder_id"]) == (92.0, "%", "quarterly", people.recorder.id)
    assert api.patch(url, json={"target": 93}, headers={
        **head, "If-Match": made.headers["ETag"]}).status_code == 412
    outsider = bearer(app, people.outsider.id)
    assert api.patch(url, json={"target": 93}, headers={
        **outsider, "If-Match": changed.headers["ETag"]}).status_code == 404
    with app.app_context():
        labels = db.session.scalars(select(AuditEvent.actor_label).where(
            AuditEvent.action.in_(("measure.create", "measure.update")))).all()
    assert len(labels) == 2 and all(" via token " in label for label in labels)


def test_an_objective_is_set_planned_changed_and_evaluated(app, make, clock):
    own = make.department()
    head = make.user(departments=[(own.id, "department_head")])
    api, mine = app.test_client(), bearer(app, head.id)
    new = {"year": 2026, "department_id": own.id, "statement_vi": "100% hồ sơ đúng hạn",
           "target": 100, "unit": "%"}
    made = api.post("/api/v1/objectives/", json=new, headers=mine)
    assert made.status_code == 201, made.json
    assert (made.json["measurement"], made.json["status"]) == ("manual", "open")
    url = f"/api/v1/objectives/{made.json['id']}"
    assert api.post("/api/v1/objectives/", json={**new, "year": 2040},
                    headers=mine).json["error"]["field"] == "year"
    changed = api.patch(url, json={"target": 98}, headers={**mine, "If-Match": made.headers[
        "ETag"]})
    assert changed.status_code == 200 and changed.json["target"] == 98.0, changed.json
    assert changed.json["statement_vi"] == "100% hồ sơ đúng hạn"
    assert api.patch(url, json={"target": 97}, headers={
        **mine, "If-Match": made.headers["ETag"]}).status_code == 412
    step = {"description": "Theo dõi hằng tuần", "owner_id": head.id, "due_on": "2026-09-30",
            "evaluation_method": "Báo cáo tuần"}
    added = api.post(url + "/items/", json=step, headers=mine)
    assert added.status_code == 201 and added.json["objective_id"] == made.json["id"]
    item = f"{url}/items/{added.json['id']}"
    assert api.post(url + "/items/", json={**step, "due_on": "2025-12-31"},
                    headers=mine).json["error"]["field"] == "due_on"
    moved = api.patch(item, json={"due_on": "2026-10-15"},
                      headers={**mine, "If-Match": api.get(item, headers=mine).headers["ETag"]})
    assert moved.status_code == 200 and moved.json["due_on"] == "2026-10-15", moved.json
    assert moved.json["description"] == "Theo dõi hằng tuần"
    done = api.post(item + "/done", json={"done_on": "2026-06-12"},
                    headers={**mine, "If-Match": moved.headers["ETag"]})
    assert (done.status_code, done.json["done"], done.json["done_on"]) == \
        (200, True, "2026-06-12")
    assert api.post(item + "/done", json={}, headers={
        **mine, "If-Match": done.headers["ETag"]}).status_code == 409
    reopened = api.post(item + "/reopen", headers={**mine, "If-Match": done.headers["ETag"]})
    assert reopened.status_code == 200 and reopened.json["done"] is False
    # The evaluation of 2026 opens at the year's end; the one of 2025 is open now.
    verdict = {"result": "achieved", "comment": "Đạt theo báo cáo năm"}
    etag = api.get(url, headers=mine).headers["ETag"]
    assert api.post(url + "/evaluation", json=verdict,
                    headers={**mine, "If-Match": etag}).status_code == 409
    last = api.post("/api/v1/objectives/", json={**new, "year": 2025}, headers=mine)
    evaluated = api.post(f"/api/v1/objectives/{last.json['id']}/evaluation", json=verdict,
                         headers={**mine, "If-Match": last.headers["ETag"]})
    assert evaluated.status_code == 200 and evaluated.json["status"] == "achieved"
    staff = bearer(app, make.user(departments=[(own.id, "staff")]).id)
    assert api.post("/api/v1/objectives/", json=new, headers=staff).status_code == 403
    assert api.post(url + "/items/", json=step, headers=staff).status_code == 403


def test_a_risk_is_added_rated_treated_linked_and_accepted(app, make, clock):
    own = make.department()
    head = make.user(departments=[(own.id, "department_head")])
    process = make.process(own.id)
    api, mine = app.test_client(), bearer(app, head.id)
    new = {"department_id": own.id, "kind": "risk", "description": "Hồ sơ trễ hạn",
           "likelihood": 3, "impact": 4, "process_id": process.id}
    made = api.post("/api/v1/risks/", json=new, headers=mine)
    assert made.status_code == 201, made.json
    assert (made.json["score"], made.json["process_id"], made.json["status"]) == \
        (12, process.id, "open")
    url = f"/api/v1/risks/{made.json['id']}"
    elsewhere = make.process(make.department().id).id
    assert api.post("/api/v1/risks/", json={**new, "process_id": elsewhere},
                    headers=mine).json["error"]["field"] == "process_id"
    half = api.patch(url, json={"residual_likelihood": 1}, headers={
        **mine, "If-Match": made.headers["ETag"]})
    assert half.status_code == 400 and half.json["error"]["field"] == "residual_impact"
    rated = api.patch(url, json={"residual_likelihood": 1, "residual_impact": 2},
                      headers={**mine, "If-Match": made.headers["ETag"]})
    assert rated.status_code == 200 and rated.json["residual_score"] == 2, rated.json
    assert rated.json["description"] == "Hồ sơ trễ hạn"
    step = api.post(url + "/actions/", json={"description": "Thêm cán bộ",
                                             "owner_id": head.id, "due_on": "2026-07-31"},
                    headers=mine)
    assert step.status_code == 201 and step.json["status"] == "open", step.json
    ca = ca_target(app, make, own.id, "actions_in_progress").ca_id
    linked = api.post(url + "/links/", json={"corrective_action_id": ca}, headers=mine)
    assert linked.status_code == 201 and linked.json["corrective_action_id"] == ca
    again = api.post(url + "/links/", json={"corrective_action_id": ca}, headers=mine)
    assert again.status_code == 400 and again.json["error"]["field"] == "finding_id"
    status = url + "/status"
    etag = api.get(url, headers=mine).headers["ETag"]
    # Treated only once every action is done; accepted only with the reason.
    for body, field in (({"status": "treated"}, "status"), ({"status": "accepted"}, "note")):
        refused = api.post(status, json=body, headers={**mine, "If-Match": etag})
        assert refused.status_code == 400 and refused.json["error"]["field"] == field
    accepted = api.post(status, json={"status": "accepted", "note": "Chi phí quá lớn"},
                        headers={**mine, "If-Match": etag})
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    staff = bearer(app, make.user(departments=[(own.id, "staff")]).id)
    assert api.post("/api/v1/risks/", json=new, headers=staff).status_code == 403
    assert api.patch(url, json={}, headers={**staff, "If-Match": "*"}).status_code == 403


def test_values_are_imported_from_a_csv_previewed_then_confirmed(app, make, clock):
    people = cast(make)
    plain = measure(app, people)
    api, recorder = app.test_client(), bearer(app, people.recorder.id)
    csv = "measure,period,value,note\nKPI-TP-01,2026-04,97,Một cửa\nKPI-TP-01,2026-13,90,\n"
    sent = api.post("/api/v1/measures/imports/", headers=recorder,
                    data={"file": (io.BytesIO(csv.encode()), "gia-tri.csv")})
    assert sent.status_code == 201, sent.json
    assert (sent.json["status"], [r["period"] for r in sent.json["rows"]]) == \
        ("previewed", ["2026-04"])
    assert [(r["line"], bool(r["reason"])) for r in sent.json["refused"]] == [(3, True)]
    url = f"/api/v1/measures/imports/{sent.json['id']}"
    assert api.get(url, headers=recorder).json["rows"][0]["value"] == 97.0
    assert api.post("/api/v1/measures/imports/", headers=recorder,
                    data={"file": "text"}).json["error"]["field"] == "file"
    # Nothing is written before the uploader confirms; a coordinator sees it, cannot confirm.
    assert api.get(f"/api/v1/measures/{plain}/values/", headers=recorder).json == []
    boss = bearer(app, people.coordinator.id)
    assert api.get(url, headers=boss).status_code == 200
    assert api.post(url + "/confirm", headers=boss).status_code == 403
    done = api.post(url + "/confirm", headers=recorder)
    assert done.status_code == 200, done.json
    assert (done.json["status"], done.json["rows_written"], "rows" in done.json) == \
        ("confirmed", 1, False)
    assert [v["period"] for v in api.get(f"/api/v1/measures/{plain}/values/",
                                         headers=recorder).json] == ["2026-04"]
    assert api.post(url + "/confirm", headers=recorder).status_code == 409
    outsider = bearer(app, people.outsider.id)
    assert api.post("/api/v1/measures/imports/", headers=outsider, data={}).status_code == 403
