"""Issue 15: audit programmes, audits, their checklists and findings through the API, with
the rules and services of the audit's page."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

from tests.api.helpers import bearer
from tests.audits.helpers import audit_in_state, cast, clause_ids
from tests.documents.helpers import blank_pdf, document_target


def _next(answer) -> str:
    return re.search(r"<([^>]+)>", answer.headers["Link"]).group(1)


def _two_audits(app, make):
    people = cast(make)
    running = audit_in_state(app, people, "in_progress", finding="ofi")
    # The other department's, led by an auditor who is not one of its members.
    elsewhere = SimpleNamespace(dept=people.other, coordinator=people.coordinator,
                                lead=people.member, member=people.coordinator)
    return people, running, audit_in_state(app, elsewhere, "planned")


def test_audits_are_listed_filtered_and_paged_as_the_caller_may_see_them(app, make):
    people, running, planned = _two_audits(app, make)
    api, coordinator = app.test_client(), bearer(app, people.coordinator.id)
    listed = api.get("/api/v1/audits/", headers=coordinator).json
    assert [a["id"] for a in listed] == [running.audit_id, planned.audit_id]
    assert [a["id"] for a in api.get(f"/api/v1/audits/?department={people.other.id}",
                                     headers=coordinator).json] == [planned.audit_id]
    assert [a["status"] for a in api.get("/api/v1/audits/?status=in_progress",
                                         headers=coordinator).json] == ["in_progress"]
    assert len(api.get("/api/v1/audits/?year=2026", headers=coordinator).json) == 2
    assert api.get("/api/v1/audits/?year=2025", headers=coordinator).json == []
    first = api.get("/api/v1/audits/?sort=-planned_start&limit=1", headers=coordinator)
    then = api.get(_next(first), headers=coordinator)
    assert [first.json[0]["id"], then.json[0]["id"]] == [planned.audit_id, running.audit_id]
    assert "Link" not in then.headers
    # A head sees their department's audit only; staff take no part in audits.
    head = bearer(app, people.head.id)
    assert [a["id"] for a in api.get("/api/v1/audits/", headers=head).json] == \
        [running.audit_id]
    assert api.get(f"/api/v1/audits/{planned.audit_id}", headers=head).status_code == 404
    staff = bearer(app, make.user(departments=[(people.dept.id, "staff")]).id)
    assert api.get("/api/v1/audits/", headers=staff).status_code == 403
    programmes = api.get("/api/v1/audit-programmes/", headers=coordinator).json
    assert [p["id"] for p in programmes] == [running.programme_id, planned.programme_id]
    one = api.get(f"/api/v1/audit-programmes/{running.programme_id}", headers=coordinator)
    assert one.headers["ETag"] == f'"audit_programme-{running.programme_id}-1"'
    assert api.get("/api/v1/audit-programmes/", headers=head).status_code == 403


def test_a_result_and_a_finding_are_recorded_through_the_pages_services(app, make):
    people, running, _planned = _two_audits(app, make)
    api, lead = app.test_client(), bearer(app, people.lead.id)
    audit_url = f"/api/v1/audits/{running.audit_id}"
    audit = api.get(audit_url, headers=lead)
    assert audit.headers["ETag"] == f'"audit-{running.audit_id}-{audit.json["version"]}"'
    assert "record" in audit.json["actions"] and "sign" in audit.json["actions"]
    items = api.get(audit_url + "/items/?limit=1", headers=lead)
    assert [i["id"] for i in items.json] == running.item_ids[:1]
    assert api.get(_next(items), headers=lead).json[0]["id"] == running.item_ids[1]
    item_url = f"{audit_url}/items/{running.item_ids[0]}"
    etag = api.get(item_url, headers=lead).headers["ETag"]
    result = {"result": "conforming", "notes": "Sổ đầy đủ"}
    assert api.put(item_url + "/result", json=result, headers=lead).status_code == 428
    stale = api.put(item_url + "/result", json=result, headers={**lead, "If-Match": '"x"'})
    assert stale.status_code == 412
    wrong = api.put(item_url + "/result", json={"result": "fine"},
                    headers={**lead, "If-Match": etag})
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "result"
    saved = api.put(item_url + "/result", json=result, headers={**lead, "If-Match": etag})
    assert saved.status_code == 200 and saved.json["result"] == "conforming"
    assert saved.headers["ETag"] != etag
    assert api.get(item_url, headers=lead).headers["ETag"] == saved.headers["ETag"]
    assert api.put(item_url + "/result", json={"result": "minor"},
                   headers={**lead, "If-Match": etag}).status_code == 412
    # Who may not record the audit is refused before the body is read.
    for person in (people.insider, people.head):
        refused = api.put(item_url + "/result", json={}, headers=bearer(app, person.id))
        assert refused.status_code == 403, person
    raised = api.post(audit_url + "/findings/", headers=lead, json={
        "grade": "minor", "description": "Thiếu hồ sơ", "item_id": running.item_ids[1]})
    assert raised.status_code == 201 and raised.json["number"] == 2
    assert raised.headers["ETag"] == f'"finding-{raised.json["id"]}-1"'
    unknown = api.post(audit_url + "/findings/", headers=lead,
                       json={"grade": "nope", "description": "x"})
    assert unknown.status_code == 400 and unknown.json["error"]["field"] == "grade"
    assert len(api.get(f"/api/v1/findings/?audit={running.audit_id}", headers=lead).json) == 2
    minor = api.get("/api/v1/findings/?grade=minor&answered=false", headers=lead).json
    assert [f["id"] for f in minor] == [raised.json["id"]]
    assert api.get("/api/v1/findings/?answered=true", headers=lead).json == []
    found = api.get(f"/api/v1/findings/{raised.json['id']}", headers=lead)
    assert found.json["reference"].endswith("/F02") and found.headers["ETag"]
    hidden = bearer(app, make.user(departments=[(people.other.id, "department_head")]).id)
    assert api.get(f"/api/v1/findings/{raised.json['id']}", headers=hidden).status_code == 404
    sign = api.post(audit_url + "/report/sign", headers=lead)
    assert sign.status_code == 403
    assert sign.json["error"]["code"] == "reauthentication_required"
    assert sign.json["error"]["link"].endswith(f"/audits/{running.audit_id}/")
    in_vi = api.post(audit_url + "/report/sign", headers={**lead, "Accept-Language": "vi"})
    assert in_vi.json["error"]["message"].startswith("Báo cáo đánh giá do trưởng đoàn")


def test_an_audit_is_started_its_meeting_and_evidence_recorded(app, make):
    people, _running, planned = _two_audits(app, make)
    api, lead = app.test_client(), bearer(app, people.member.id)  # the planned audit's lead
    audit_url = f"/api/v1/audits/{planned.audit_id}"
    etag = api.get(audit_url, headers=lead).headers["ETag"]
    assert api.post(audit_url + "/start", headers=lead).status_code == 428
    started = api.post(audit_url + "/start", headers={**lead, "If-Match": etag})
    assert started.status_code == 200 and started.json["status"] == "in_progress"
    again = api.post(audit_url + "/start", headers={**lead, "If-Match": started.headers["ETag"]})
    assert again.status_code == 409
    meeting = {"held_at": "2026-06-01T08:30:00", "attendees": "Đoàn đánh giá, phòng NV"}
    held = api.put(audit_url + "/meetings/opening", json=meeting,
                   headers={**lead, "If-Match": started.headers["ETag"]})
    assert held.status_code == 200, held.json
    assert held.json["opening_meeting_at"] == "2026-06-01T08:30:00+07:00"  # Hà Nội time
    item_id = api.get(audit_url + "/items/", headers=lead).json[0]["id"]
    evidence = f"{audit_url}/items/{item_id}/evidence/"
    document = document_target(app, people.other.id, people.coordinator.id,
                               content=blank_pdf())
    linked = api.post(evidence + "documents", json={"document_id": document.document_id},
                      headers=lead)
    assert linked.status_code == 201 and linked.json["revision_id"] == document.revision_id
    uploaded = api.post(evidence + "files", headers=lead, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(blank_pdf()), "so-theo-doi.pdf")})
    assert uploaded.status_code == 201 and uploaded.json["file_kind"] == "pdf"
    not_a_file = api.post(evidence + "files", headers=lead, data={"file": "x"})
    assert not_a_file.status_code in (400, 422) and not_a_file.json["error"]["field"] == "file"
    assert [e["id"] for e in api.get(evidence, headers=lead).json] == \
        [linked.json["id"], uploaded.json["id"]]
    # An auditor of the audited department never records it.
    insider = bearer(app, people.insider.id)
    assert api.post(evidence + "documents", json={}, headers=insider).status_code == 403


def test_the_department_answers_a_finding_and_a_coordinator_closes_the_audit(app, make):
    people = cast(make)
    reported = audit_in_state(app, people, "reported", finding="minor")
    api, head = app.test_client(), bearer(app, people.head.id)
    boss = bearer(app, people.coordinator.id)
    finding_url = f"/api/v1/findings/{reported.finding_ids[0]}"
    answer_url = f"/api/v1/audits/{reported.audit_id}/findings/{reported.finding_ids[0]}/response"
    answer = {"response": "Đã cập nhật sổ theo dõi"}
    assert api.post(answer_url, json=answer,
                    headers=bearer(app, people.lead.id)).status_code == 403
    assert api.post(answer_url, json=answer, headers=head).status_code == 428
    etag = api.get(finding_url, headers=head).headers["ETag"]
    answered = api.post(answer_url, json=answer, headers={**head, "If-Match": etag})
    assert answered.status_code == 200 and answered.json["responded_by_id"] == people.head.id
    assert api.post(answer_url, json=answer, headers={
        **head, "If-Match": answered.headers["ETag"]}).status_code == 409
    close_url = f"/api/v1/audits/{reported.audit_id}/close"
    assert api.post(close_url, headers=head).status_code == 403
    etag = api.get(f"/api/v1/audits/{reported.audit_id}", headers=boss).headers["ETag"]
    closed = api.post(close_url, headers={**boss, "If-Match": etag})
    assert closed.status_code == 200 and closed.json["status"] == "closed"


def test_a_question_is_added_by_hand_and_a_findings_due_date_set(app, make, clock):
    people = cast(make)
    running = audit_in_state(app, people, "in_progress", finding="ofi")
    api, lead = app.test_client(), bearer(app, people.lead.id)
    audit_url = f"/api/v1/audits/{running.audit_id}"
    in_scope, outside = clause_ids(app, "8.5.1", "9.1.1")
    question = {"clause_id": in_scope, "question_vi": "Sổ theo dõi có cập nhật hằng ngày?"}
    added = api.post(audit_url + "/items/", json=question, headers=lead)
    assert added.status_code == 201, added.json
    assert (added.json["position"], added.json["result"]) == (len(running.item_ids) + 1, None)
    item = api.get(f"{audit_url}/items/{added.json['id']}", headers=lead)
    assert item.headers["ETag"] == added.headers["ETag"]
    # Only a clause the audit covers, as the page offers; only those who record the audit.
    refused = api.post(audit_url + "/items/", json={**question, "clause_id": outside},
                       headers=lead)
    assert refused.status_code == 400 and refused.json["error"]["field"] == "clause_id"
    assert api.post(audit_url + "/items/", json=question,
                    headers=bearer(app, people.head.id)).status_code == 403
    due = f"{audit_url}/findings/{running.finding_ids[0]}/due"
    etag = api.get(f"/api/v1/findings/{running.finding_ids[0]}", headers=lead).headers["ETag"]
    assert api.put(due, json={"response_due_on": "2026-07-15"}, headers=lead).status_code == 428
    past = api.put(due, json={"response_due_on": "2026-06-01"},
                   headers={**lead, "If-Match": etag})
    assert past.status_code == 400 and past.json["error"]["field"] == "response_due_on"
    moved = api.put(due, json={"response_due_on": "2026-07-15"},
                    headers={**lead, "If-Match": etag})
    assert moved.status_code == 200 and moved.json["response_due_on"] == "2026-07-15"
    assert api.put(due, json={"response_due_on": "2026-07-20"},
                   headers={**lead, "If-Match": etag}).status_code == 412
