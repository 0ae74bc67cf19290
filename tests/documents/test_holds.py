"""Legal holds: placed on a document, a department or an audit's records; while in force,
every route that could dispose of, make obsolete or withdraw what they cover refuses (409,
saying why); lifted with a reason and a signature; listed in an evidence pack's PDF."""

from __future__ import annotations

import io
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import select

from compliance.audits.models import Evidence
from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db
from compliance.core.pdf import html_to_pdf
from compliance.documents.models import Document
from compliance.documents.records.models import LegalHold
from compliance.evidence.builder.collect import collect
from tests.audits.helpers import audit_target
from tests.documents.helpers import blank_pdf, document_target
from tests.documents.records_helpers import decide, revision_of, with_history
from tests.factories import PASSWORD

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
LONG_AGO = datetime(2015, 6, 1, 9, tzinfo=HANOI)


def _world(app, make, login):
    """A department with a document due for disposition, one in force and a draft; a
    coordinator signed in."""
    dept = make.department(code="TP")
    head = make.user(departments=[(dept.id, "department_head")])
    coordinator = make.user(roles=["coordinator"])
    client = app.test_client()
    login(client, coordinator.email)
    due = with_history(app, dept.id, head.id, code="QT-TP-01", revisions=[
        {"status": "superseded", "width": 370, "created_at": LONG_AGO,
         "superseded_at": LONG_AGO},
        {"status": "effective", "width": 371, "created_at": LONG_AGO}])
    draft = document_target(app, dept.id, head.id, state="draft", content=blank_pdf(width=379))
    return SimpleNamespace(dept=dept, head=head, coordinator=coordinator, client=client,
                           due=due, draft=draft)


def _version(app, document_id: int) -> int:
    with app.app_context():
        return db.session.get(Document, document_id).version


def _refusals(app, w) -> dict[str, object]:
    """Every destructive post there is on what the world holds, signed and well formed."""
    client, rev = w.client, w.due.revisions[0]
    return {
        "destroy": decide(client, w.due.id, rev),
        "transfer": decide(client, w.due.id, rev, decision="transfer"),
        "obsolete": client.post(f"/documents/{w.due.id}/obsolete", data={
            "reason": "Bãi bỏ", "password": PASSWORD, "version": _version(app, w.due.id)}),
        "withdraw": client.post(
            f"/documents/{w.draft.document_id}/revisions/{w.draft.revision_id}/withdraw"),
    }


def test_a_department_hold_blocks_every_destructive_action_until_lifted(app, make, login):
    w = _world(app, make, login)
    form = w.client.get("/documents/holds/new")
    assert form.status_code == 200 and 'name="department_id"' in form.get_data(as_text=True)
    no_reason = w.client.post("/documents/holds/new", data={
        "scope": "department", "department_id": w.dept.id, "audit_id": 0, "reason": ""})
    assert no_reason.status_code == 400
    placed = w.client.post("/documents/holds/new", data={
        "scope": "department", "department_id": w.dept.id, "audit_id": 0,
        "reason": "Thanh tra huyện, QĐ 12/QĐ-TTr"})
    assert placed.status_code == 302
    hold_url = placed.headers["Location"]
    for action, response in _refusals(app, w).items():
        body = response.get_data(as_text=True)
        assert response.status_code == 409, action
        assert "under a legal hold" in body and "Thanh tra huyện" in body, action
    assert revision_of(app, w.due.revisions[0]).disposition is None
    assert revision_of(app, w.draft.revision_id).status == "draft"
    # Keeping longer destroys nothing: it stays allowed under a hold.
    assert decide(w.client, w.due.id, w.due.revisions[0], decision="extend",
                  extended_until="2099-01-01").status_code == 302
    page = w.client.get(f"/documents/{w.due.id}").get_data(as_text=True)
    assert 'data-testid="hold-mark"' in page
    # Lifting: a reason and the password, on the version seen.
    hold_id = int(hold_url.rsplit("/", 1)[1])
    lift = f"/documents/holds/{hold_id}/lift"
    wrong = w.client.post(lift, data={"reason": "Xong", "password": "nope", "version": 1})
    assert wrong.status_code == 400 and "The password is not correct" in wrong.get_data(
        as_text=True)
    assert w.client.post(lift, data={"reason": "Xong", "password": PASSWORD,
                                     "version": 2}).status_code == 409
    assert w.client.post(lift, data={"reason": "Kết thúc thanh tra", "password": PASSWORD,
                                     "version": 1}).status_code == 302
    shown = w.client.get(hold_url).get_data(as_text=True)
    assert "Kết thúc thanh tra" in shown and 'data-testid="hold-state">Lifted by' in shown
    assert w.client.post(f"/documents/{w.draft.document_id}/revisions/"
                         f"{w.draft.revision_id}/withdraw").status_code == 302
    assert w.client.post(f"/documents/{w.due.id}/obsolete", data={
        "reason": "Bãi bỏ", "password": PASSWORD,
        "version": _version(app, w.due.id)}).status_code == 302


def test_a_document_hold_and_an_audit_hold_cover_what_they_name(app, make, login):
    w = _world(app, make, login)
    other = with_history(app, w.dept.id, w.head.id, code="QT-TP-02", revisions=[
        {"status": "effective", "width": 372, "created_at": LONG_AGO}])
    link = w.client.get(f"/documents/holds/new?document={w.due.code}").get_data(as_text=True)
    assert f'value="{w.due.code}"' in link
    assert w.client.post("/documents/holds/new", data={
        "scope": "document", "document_code": "NO-SUCH", "department_id": 0, "audit_id": 0,
        "reason": "Khiếu nại"}).status_code == 400
    assert w.client.post("/documents/holds/new", data={
        "scope": "document", "document_code": w.due.code, "department_id": 0, "audit_id": 0,
        "reason": "Khiếu nại của công dân"}).status_code == 302
    assert decide(w.client, w.due.id, w.due.revisions[0]).status_code == 409
    assert w.client.post(f"/documents/{other.id}/obsolete", data={
        "reason": "Bãi bỏ", "password": PASSWORD,
        "version": _version(app, other.id)}).status_code == 302  # not held
    # An audit's records: the documents its checklist cites as evidence.
    audit = audit_target(app, make, w.dept.id, "in_progress")
    cited = with_history(app, w.dept.id, w.head.id, code="QT-TP-03", revisions=[
        {"status": "effective", "width": 373, "created_at": LONG_AGO}])
    with app.app_context(), write_intent():
        db.session.add(Evidence(item_id=audit.item_id, revision_id=cited.revisions[0],
                                added_by_id=w.coordinator.id, added_at=utcnow()))
        db.session.commit()
    assert w.client.post("/documents/holds/new", data={
        "scope": "audit", "audit_id": audit.audit_id, "department_id": 0,
        "reason": "Hồ sơ đánh giá nội bộ đang bị khiếu nại"}).status_code == 302
    refused = w.client.post(f"/documents/{cited.id}/obsolete", data={
        "reason": "Bãi bỏ", "password": PASSWORD, "version": _version(app, cited.id)})
    assert refused.status_code == 409 and "đang bị khiếu nại" in refused.get_data(as_text=True)
    # Who sees the holds: coordinators and auditors; not heads.
    auditor, head = app.test_client(), app.test_client()
    login(auditor, make.user(roles=["auditor"]).email)
    login(head, w.head.email)
    assert "Khiếu nại của công dân" in auditor.get("/documents/holds").get_data(as_text=True)
    assert head.get("/documents/holds").status_code == 403
    assert head.post("/documents/holds/new", data={
        "scope": "department", "department_id": w.dept.id, "audit_id": 0,
        "reason": "x"}).status_code == 403


def test_an_evidence_pack_lists_the_holds_in_force_on_what_it_covers(app, make, login):
    w = _world(app, make, login)
    elsewhere = make.department(code="KT")
    assert decide(w.client, w.due.id, w.due.revisions[0]).status_code == 302  # destroyed
    with app.app_context(), write_intent():
        db.session.add_all([
            LegalHold(scope="department", department_id=w.dept.id, placed_at=utcnow(),
                      reason="Thanh tra công vụ năm 2026", placed_by_id=w.coordinator.id),
            LegalHold(scope="department", department_id=elsewhere.id, placed_at=utcnow(),
                      reason="Không thuộc phạm vi", placed_by_id=w.coordinator.id)])
        db.session.commit()
    pack = SimpleNamespace(id=0, locale="en", scope_kind="department", scope_id=w.dept.id,
                           scope_label="TP", reference="HS-TEST", include_quality=False,
                           period_start=date(2015, 1, 1), period_end=date(2026, 12, 31))
    with app.test_request_context(), force_locale("en"):
        register = collect(pack, "UBND huyện").html["register"]
        held = db.session.scalars(select(LegalHold)).all()
        assert len(held) == 2
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(
        html_to_pdf(register))).pages)
    assert "Legal holds in force" in text and "Thanh tra công vụ năm 2026" in text
    assert "Không thuộc phạm vi" not in text
    # The destroyed revision was in force in the period: listed, its file not included.
    assert "its file was destroyed on" in " ".join(text.split())
