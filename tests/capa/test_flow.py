"""Corrective actions through the pages: every transition, every refusal, the grade rules."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import verify
from compliance.audits.models import FindingGrade
from compliance.capa.models import CorrectiveAction
from compliance.core import clock
from compliance.core.extensions import db
from tests.audits.helpers import audit_in_state, cast
from tests.capa.helpers import shown_version
from tests.documents.helpers import pdf_bytes


def _client(app, login, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, user.email)
    return client


def _ca(app, ca_id: int) -> CorrectiveAction:
    with app.app_context():
        ca = db.session.get(CorrectiveAction, ca_id)
        ca.actions, ca.checks, ca.whys, ca.files  # noqa: B018 - loaded before the context goes
        db.session.expunge(ca)
        return ca


def _events(app, ca_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_type == "corrective_action",
            AuditEvent.entity_id == str(ca_id)).order_by(AuditEvent.seq)))


def _pdf(name: str = "bang-chung.pdf"):
    return (io.BytesIO(pdf_bytes("Bằng chứng")), name)


def _people(make):
    people = cast(make)
    people.staff = make.user(name="Lê Văn Bình", departments=[(people.dept.id, "staff")])
    people.other_head = make.user(departments=[(people.other.id, "department_head")])
    return people


def _raise(client, people, grade="major", **extra):
    data = {"source": "complaint", "department_id": people.dept.id, "grade": grade,
            "problem": "Trả kết quả hồ sơ cho công dân quá hạn", "verifier_id":
            people.coordinator.id}
    data.update(extra)
    response = client.post("/corrective-actions/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_major_finding_raises_a_corrective_action_the_head_then_sees(app, make, login):
    people = _people(make)
    ids = audit_in_state(app, people, "in_progress")
    lead = _client(app, login, people.lead)
    for grade in ("major", "observation"):
        assert lead.post(f"/audits/{ids.audit_id}/findings", data={
            "grade": grade, "clause_id": 0,
            "description": f"Không có sổ theo dõi hồ sơ ({grade})"}).status_code == 302
    with app.app_context():
        cas = db.session.scalars(select(CorrectiveAction)).all()
        assert len(cas) == 1, "an observation raises no corrective action"
        ca = cas[0]
        assert (ca.source, ca.grade, ca.department_id, ca.status) == \
            ("finding", "major", people.dept.id, "open")
        assert ca.verifier_id == people.lead.id
        assert ca.finding.reference in ca.problem
        assert ca.reference.startswith("HDKP-") and ca.reference.endswith("-001")
        ca_id, reference = ca.id, ca.reference
    head = _client(app, login, people.head)
    register = head.get("/corrective-actions/").get_data(as_text=True)
    assert reference in register
    page = head.get(f"/corrective-actions/{ca_id}").get_data(as_text=True)
    assert f"{ids.reference}/F01" in page
    other = _client(app, login, people.other_head)
    assert reference not in other.get("/corrective-actions/").get_data(as_text=True)
    assert other.get(f"/corrective-actions/{ca_id}").status_code == 403
    assert _events(app, ca_id) == ["corrective.raise"]


def test_from_raising_to_closure_with_a_failed_check_between(app, make, login, clock):
    people = _people(make)
    coordinator = _client(app, login, people.coordinator)
    head = _client(app, login, people.head)
    staff = _client(app, login, people.staff)
    auditor = _client(app, login, people.member)
    ca_id = _raise(head, people)
    base = f"/corrective-actions/{ca_id}"
    today = clock.today()

    # Evidence about the problem itself.
    assert head.post(f"{base}/files", data={"file": _pdf("don-khieu-nai.pdf")},
                     content_type="multipart/form-data").status_code == 302
    bad = head.post(f"{base}/files", data={"file": (io.BytesIO(b"<html></html>"), "x.pdf")},
                    content_type="multipart/form-data")
    assert bad.status_code == 415
    file_id = _ca(app, ca_id).files[0].id
    assert auditor.get(f"{base}/files/{file_id}").status_code == 200

    # Contain: an auditor reads but does not act; a date in the future is refused.
    assert auditor.post(f"{base}/contain", data={
        "correction": "x", "corrected_on": today.isoformat()}).status_code == 403
    future = head.post(f"{base}/contain", data={
        "correction": "Đã trả hồ sơ", "corrected_on": (today + timedelta(days=1)).isoformat(),
        **shown_version(app, ca_id)})
    assert future.status_code == 400 and "future" in future.get_data(as_text=True)
    early = head.post(f"{base}/analyse", data={"ishikawa": "method", "extent": "Không"})
    assert early.status_code == 409 and "open" in early.get_data(as_text=True)
    stale = head.post(f"{base}/contain", data={
        "correction": "Đã trả hồ sơ", "corrected_on": today.isoformat(), "version": 0})
    assert stale.status_code == 409
    # The form as the page offers it says which version it was filled in on; without it, no.
    assert head.post(f"{base}/contain", data={
        "correction": "Đã trả hồ sơ", "corrected_on": today.isoformat()}).status_code == 409
    assert head.post(f"{base}/contain", data={
        "correction": "Đã trả hồ sơ", "corrected_on": today.isoformat(),
        **shown_version(app, ca_id)}).status_code == 302
    assert _ca(app, ca_id).status == "contained"
    again = head.post(f"{base}/contain", data={
        "correction": "x", "corrected_on": today.isoformat()})
    assert again.status_code == 409

    # Analyse: a major finding needs the root cause.
    no_why = head.post(f"{base}/analyse", data={"ishikawa": "method", "extent": "Không",
                                                **shown_version(app, ca_id)})
    assert no_why.status_code == 400 and "root cause" in no_why.get_data(as_text=True)
    assert head.post(f"{base}/analyse", data={
        "why1": "Hồ sơ không được theo dõi hạn", "why2": "Không có sổ theo dõi",
        "why3": "Quy trình không yêu cầu sổ", "ishikawa": "method",
        "extent": "Có thể xảy ra ở bộ phận một cửa", "affected_ids": [people.other.id],
        **shown_version(app, ca_id)}).status_code == 302
    ca = _ca(app, ca_id)
    assert ca.status == "analysed"
    assert [w.answer for w in ca.whys] == ["Hồ sơ không được theo dõi hạn",
                                           "Không có sổ theo dõi", "Quy trình không yêu cầu sổ"]
    assert ca.ishikawa == "method"

    # Act: a due date in the past is refused; the staff member owns the action.
    past = head.post(f"{base}/actions", data={
        "description": "Lập sổ", "owner_id": people.staff.id, "document_id": 0,
        "due_on": (today - timedelta(days=1)).isoformat()})
    assert past.status_code == 400
    assert head.post(f"{base}/actions", data={
        "description": "Lập sổ theo dõi hạn trả hồ sơ", "owner_id": people.staff.id,
        "document_id": 0, "due_on": (today + timedelta(days=14)).isoformat()}).status_code == 302
    ca = _ca(app, ca_id)
    assert ca.status == "actions_in_progress"
    action_id = ca.actions[0].id
    # The staff member reads the corrective action of their action, and nothing else.
    assert staff.get(base).status_code == 200
    assert staff.post(f"{base}/contain", data={"correction": "x"}).status_code == 403
    early_check = coordinator.post(f"{base}/check", data={"result": "effective", "notes": "x"})
    assert early_check.status_code == 409
    early_close = coordinator.post(f"{base}/close", data={})
    assert early_close.status_code == 409
    assert staff.post(f"{base}/actions/{action_id}/done", data={
        "note": "Sổ đã lập", "file": _pdf("so-theo-doi.pdf")},
        content_type="multipart/form-data").status_code == 302
    ca = _ca(app, ca_id)
    assert ca.status == "verifying"
    assert ca.actions[0].status == "done" and ca.actions[0].done_on == today
    assert len(ca.checks) == 1
    assert ca.checks[0].due_on == today + timedelta(days=60)
    assert ca.checks[0].verifier_id == people.coordinator.id
    done_twice = staff.post(f"{base}/actions/{action_id}/done", data={"note": "x"})
    assert done_twice.status_code == 409

    # Verify: the head may not judge their own work; a failed check reopens the plan.
    assert head.post(f"{base}/check", data={"result": "effective", "notes": "x"}
                     ).status_code == 403
    assert head.post(f"{base}/close", data={}).status_code == 403
    assert coordinator.post(f"{base}/close", data=shown_version(app, ca_id)).status_code == 409
    assert coordinator.post(f"{base}/check", data={
        "result": "not_effective", "notes": "Vẫn còn 3 hồ sơ trễ hạn"}).status_code == 302
    ca = _ca(app, ca_id)
    assert ca.status == "actions_in_progress" and ca.checks[0].status == "not_effective"
    assert head.post(f"{base}/actions", data={
        "description": "Nhắc hạn hằng tuần", "owner_id": people.staff.id, "document_id": 0,
        "due_on": (today + timedelta(days=7)).isoformat()}).status_code == 302
    second = _ca(app, ca_id).actions[1].id
    assert head.post(f"{base}/actions/{second}/done", data={"note": "Đã nhắc"}).status_code == 302
    ca = _ca(app, ca_id)
    assert ca.status == "verifying" and len(ca.checks) == 2

    # A major finding needs evidence that the actions worked.
    no_file = coordinator.post(f"{base}/check", data={"result": "effective", "notes": "Ổn"})
    assert no_file.status_code == 400 and "evidence" in no_file.get_data(as_text=True)
    assert coordinator.post(f"{base}/check", data={
        "result": "effective", "notes": "Không còn hồ sơ trễ hạn trong 2 tháng",
        "file": _pdf("thong-ke.pdf")}, content_type="multipart/form-data").status_code == 302
    assert coordinator.post(f"{base}/close", data={
        "note": "Đạt", **shown_version(app, ca_id)}).status_code == 302
    ca = _ca(app, ca_id)
    assert ca.status == "closed" and ca.closed_on == today
    assert head.post(f"{base}/files", data={"file": _pdf()},
                     content_type="multipart/form-data").status_code == 409

    assert _events(app, ca_id) == [
        "corrective.raise", "corrective.file", "corrective.contain", "corrective.analyse",
        "corrective.action_add", "corrective.file", "corrective.action_done",
        "corrective.check_scheduled", "corrective.check", "corrective.action_add",
        "corrective.action_done", "corrective.check_scheduled", "corrective.file",
        "corrective.check", "corrective.close"]
    with app.app_context():
        assert verify().ok


def test_observations_are_closed_by_a_decision_and_majors_are_not(app, make, login):
    people = _people(make)
    head = _client(app, login, people.head)
    major = _raise(head, people, "major")
    refused = head.post(f"/corrective-actions/{major}/decision",
                        data={"decision": "Bỏ qua", **shown_version(app, major)})
    assert refused.status_code == 409 and "calls for corrective action" in \
        refused.get_data(as_text=True)
    for grade in ("observation", "ofi"):
        ca_id = _raise(head, people, grade)
        page = head.get(f"/corrective-actions/{ca_id}").get_data(as_text=True)
        assert "Close with this decision" in page
        assert head.post(f"/corrective-actions/{ca_id}/decision", data={}).status_code == 400
        assert head.post(f"/corrective-actions/{ca_id}/decision", data={
            "decision": "Ghi nhận; xem xét ở cuộc họp xem xét của lãnh đạo",
            **shown_version(app, ca_id)}).status_code == 302
        ca = _ca(app, ca_id)
        assert ca.status == "closed" and ca.closure_note.startswith("Ghi nhận")
        assert _events(app, ca_id)[-1] == "corrective.close_decision"


def test_closure_follows_the_rules_of_the_grade(app, make, login):
    """A grade asking for no root cause closes without one, until its rule changes."""
    people = _people(make)
    head = _client(app, login, people.head)
    coordinator = _client(app, login, people.coordinator)
    ca_id = _raise(head, people, "observation")
    base, today = f"/corrective-actions/{ca_id}", clock.today()
    assert head.post(f"{base}/contain", data={
        "correction": "Sắp xếp lại", "corrected_on": today.isoformat(),
        **shown_version(app, ca_id)}).status_code == 302
    assert head.post(f"{base}/analyse", data={"ishikawa": "environment", "extent": "Không",
                                              **shown_version(app, ca_id)}).status_code == 302
    assert head.post(f"{base}/actions", data={
        "description": "Dán nhãn tủ hồ sơ", "owner_id": people.head.id, "document_id": 0,
        "due_on": today.isoformat()}).status_code == 302
    action_id = _ca(app, ca_id).actions[0].id
    assert head.post(f"{base}/actions/{action_id}/done", data={}).status_code == 302
    assert coordinator.post(f"{base}/check", data={"result": "effective",
                                                   "notes": "Đã dán nhãn"}).status_code == 302
    with app.app_context():
        db.session.get(FindingGrade, (1, "observation")).requires_root_cause = True
        db.session.commit()
    refused = coordinator.post(f"{base}/close", data=shown_version(app, ca_id))
    assert refused.status_code == 409 and "5-why" in refused.get_data(as_text=True)
    with app.app_context():
        db.session.get(FindingGrade, (1, "observation")).requires_root_cause = False
        db.session.commit()
    assert coordinator.post(f"{base}/close", data=shown_version(app, ca_id)).status_code == 302


def test_an_action_can_ask_for_a_revision_of_a_controlled_document(app, make, login):
    from compliance.documents.models import Revision
    from tests.documents.helpers import document_target

    people = _people(make)
    head = _client(app, login, people.head)
    ca_id = _raise(head, people, "minor")
    base, today = f"/corrective-actions/{ca_id}", clock.today()
    head.post(f"{base}/contain", data={"correction": "x", "corrected_on": today.isoformat(),
                                       **shown_version(app, ca_id)})
    head.post(f"{base}/analyse", data={"why1": "Quy trình thiếu bước kiểm tra",
                                       "ishikawa": "method", "extent": "Không",
                                       **shown_version(app, ca_id)})
    own = document_target(app, people.dept.id, people.head.id)
    theirs = document_target(app, people.other.id, people.other_head.id)
    refused = head.post(f"{base}/actions", data={
        "description": "Sửa quy trình", "owner_id": people.head.id,
        "due_on": today.isoformat(), "document_id": theirs.document_id})
    assert refused.status_code == 403
    assert head.post(f"{base}/actions", data={
        "description": "Bổ sung bước kiểm tra vào quy trình", "owner_id": people.head.id,
        "due_on": today.isoformat(), "document_id": own.document_id}).status_code == 302
    action = _ca(app, ca_id).actions[0]
    assert action.document_id == own.document_id
    with app.app_context():
        draft = db.session.get(Revision, action.revision_id)
        assert draft.status == "draft" and draft.document_id == own.document_id
        assert _ca(app, ca_id).reference in draft.change_summary
    page = head.get(base).get_data(as_text=True)
    assert own.code in page


def test_raising_by_hand_is_for_coordinators_and_heads_of_their_own_department(app, make,
                                                                                 login):
    people = _people(make)
    head = _client(app, login, people.head)
    theirs = head.post("/corrective-actions/new", data={
        "source": "complaint", "department_id": people.other.id, "grade": "major",
        "problem": "x", "verifier_id": 0})
    assert theirs.status_code == 400  # not among the head's choices
    as_finding = head.post("/corrective-actions/new", data={
        "source": "finding", "department_id": people.dept.id, "grade": "major",
        "problem": "x", "verifier_id": 0})
    assert as_finding.status_code == 400
    staff_verifier = head.post("/corrective-actions/new", data={
        "source": "process", "department_id": people.dept.id, "grade": "major",
        "problem": "x", "verifier_id": people.staff.id})
    assert staff_verifier.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(CorrectiveAction)).all() == []
    assert _client(app, login, people.staff).get("/corrective-actions/new").status_code == 403


def test_register_filters_ages_exports_and_puts_the_heads_department_first(app, make, login):
    from compliance.capa import queries
    from tests.capa.helpers import TODAY, ca_in_state

    people = _people(make)
    mine = ca_in_state(app, people.dept.id, "actions_in_progress",
                       coordinator_id=people.coordinator.id, owner_id=people.staff.id)
    other = ca_in_state(app, people.other.id, "open", coordinator_id=people.coordinator.id,
                        owner_id=people.staff.id, grade="ofi", today=TODAY + timedelta(days=5))
    closed = ca_in_state(app, people.dept.id, "closed", coordinator_id=people.coordinator.id,
                         owner_id=people.staff.id)
    coordinator = _client(app, login, people.coordinator)
    # A head who also audits reads every department's; their own come first.
    head = _client(app, login, make.user(roles=["auditor"],
                                         departments=[(people.dept.id, "department_head")]))

    def references(client, **args):
        body = client.get("/corrective-actions/", query_string=args).get_data(as_text=True)
        found = [r for r in (mine.reference, other.reference, closed.reference) if r in body]
        return sorted(found, key=body.index)

    # Newest first for the coordinator; the head's own department first for the head.
    assert references(coordinator)[0] == other.reference
    assert references(head)[-1] == other.reference
    assert references(_client(app, login, people.head)) == [closed.reference, mine.reference]
    assert references(coordinator, department=people.other.id) == [other.reference]
    assert references(coordinator, grade="ofi") == [other.reference]
    assert references(coordinator, source="finding") == []
    assert references(coordinator, status="closed") == [closed.reference]
    # The action of 'mine' fell due on TODAY + 14, long before the real today.
    assert references(coordinator, overdue="1") == [mine.reference]

    csv_rows = list(csv.reader(io.StringIO(coordinator.get(
        "/corrective-actions/export.csv").get_data().decode("utf-8-sig"))))
    assert csv_rows[0][0] == "Reference" and len(csv_rows) == 4
    row = next(r for r in csv_rows if r[0] == mine.reference)
    assert row[7] == str((clock.today() - TODAY).days) and row[10] == "Yes"
    xlsx = coordinator.get("/corrective-actions/export.xlsx", query_string={"status": "closed"})
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert [c.value for c in next(sheet.iter_rows(min_row=2))][0] == closed.reference

    # The due queries take today as given.
    with app.app_context():
        assert [a.id for a in queries.actions_due_within(TODAY, 14)] == [mine.action_id]
        assert queries.actions_due_within(TODAY, 13) == []
        assert queries.overdue_actions(TODAY + timedelta(days=14)) == []
        assert [a.id for a in queries.overdue_actions(TODAY + timedelta(days=15))] == \
            [mine.action_id]
        assert queries.checks_due(TODAY) == []


def test_checks_due_are_found_from_the_injected_date(app, make):
    from compliance.capa import queries
    from tests.capa.helpers import TODAY, ca_in_state

    people = _people(make)
    ids = ca_in_state(app, people.dept.id, "verifying", coordinator_id=people.coordinator.id,
                      owner_id=people.staff.id, grade="minor")
    with app.app_context():
        assert queries.checks_due(TODAY + timedelta(days=59)) == []
        assert [c.corrective_action_id for c in queries.checks_due(TODAY, days=60)] == \
            [ids.ca_id]
        assert len(queries.checks_due(TODAY + timedelta(days=90))) == 1


def test_more_refusals_each_with_a_status_and_no_trail(app, make, login):
    from tests.capa.helpers import ca_in_state

    people = _people(make)
    head = _client(app, login, people.head)
    closed = ca_in_state(app, people.dept.id, "closed", coordinator_id=people.coordinator.id,
                         owner_id=people.staff.id)
    contained = ca_in_state(app, people.dept.id, "contained", grade="observation",
                            coordinator_id=people.coordinator.id, owner_id=people.staff.id)
    before = {ca_id: _events(app, ca_id) for ca_id in (closed.ca_id, contained.ca_id)}
    today = clock.today().isoformat()
    refusals = [
        (f"/corrective-actions/{closed.ca_id}/actions",
         {"description": "x", "owner_id": people.staff.id, "due_on": today, "document_id": 0},
         409),
        (f"/corrective-actions/{closed.ca_id}/contain",
         {"correction": "x", "corrected_on": today}, 409),
        (f"/corrective-actions/{contained.ca_id}/decision", {"decision": "Ghi nhận"}, 409),
        (f"/corrective-actions/{contained.ca_id}/actions/{closed.action_id}/done", {}, 404),
        (f"/corrective-actions/{contained.ca_id}/analyse",
         {"ishikawa": "people", "extent": "Không", "version": 99}, 409),
    ]
    for url, data, status in refusals:
        response = head.post(url, data=data)
        assert response.status_code == status, (url, response.status_code)
    assert head.get(f"/corrective-actions/{contained.ca_id}/files/{closed.file_id}"
                    ).status_code == 404
    assert {ca_id: _events(app, ca_id) for ca_id in before} == before
