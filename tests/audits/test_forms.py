"""A refused audit form comes back as the same form: the message at the field it concerns,
what was typed kept, status 400 — never a bare error page naming the wrong problem."""

from __future__ import annotations

import re
import sqlite3

from sqlalchemy import select

from compliance.audits import report
from compliance.audits.models import ChecklistItem, Finding
from compliance.core.extensions import db
from tests.audits.helpers import audit_in_state, cast, clause_ids


def _client(app, login, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _feedback(page: str, name: str) -> str:
    """The error shown under the input named `name` on whichever of the page's forms has one
    ("" if none): bootstrap-flask puts it right after its input, so the input is the last
    one named before it."""
    for match in re.finditer(r'<div class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', page, re.S):
        last = page.rfind(' name="', 0, match.start())
        if page.startswith(f' name="{name}"', last):
            return match.group(1)
    return ""


def test_a_200_kb_note_is_too_long_not_a_missing_result(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress")
    lead = _client(app, login, people.lead)
    note = "Đã kiểm tra hồ sơ. " + "x" * 200_000
    response = lead.post(f"/audits/{ids.audit_id}/items/{ids.item_ids[0]}/result",
                         data={"result": "conforming", "notes": note})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    message = _feedback(page, "notes")
    assert "5000" in message and str(len(note)) in message
    assert "Choose a result" not in page
    assert note in page  # the input is kept
    assert 'class="form-select is-invalid"' not in page  # the result itself was fine
    with app.app_context():
        assert db.session.get(ChecklistItem, ids.item_ids[0]).result is None


def test_a_missing_result_is_named_at_the_result_and_the_note_is_kept(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress")
    lead = _client(app, login, people.lead)
    response = lead.post(f"/audits/{ids.audit_id}/items/{ids.item_ids[1]}/result",
                         data={"result": "", "notes": "Sổ theo dõi đầy đủ"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _feedback(page, "result") == "Choose a result."
    assert "Sổ theo dõi đầy đủ" in page
    # The item's own form is opened; the other items' forms are blank.
    assert page.count("Choose a result.") == 1


def test_a_question_and_a_finding_refused_at_their_fields(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress")
    lead = _client(app, login, people.lead)
    base = f"/audits/{ids.audit_id}"
    long_question = "Câu hỏi " + "y" * 2100
    response = lead.post(f"{base}/items", data={"clause_id": 0, "question_vi": long_question})
    assert response.status_code == 400
    assert "2000" in _feedback(response.get_data(as_text=True), "question_vi")
    response = lead.post(f"{base}/findings", data={"grade": "", "clause_id": 0,
                                                   "description": "Thiếu hồ sơ tiếp nhận"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _feedback(page, "grade") == "Choose a grade."
    assert "Thiếu hồ sơ tiếp nhận" in page
    response = lead.post(f"{base}/findings", data={"grade": "minor", "clause_id": 0,
                                                   "description": ""})
    assert response.status_code == 400
    assert _feedback(response.get_data(as_text=True), "description")
    with app.app_context():
        assert db.session.scalars(select(Finding)).all() == []


def test_a_meeting_with_an_impossible_time_keeps_the_attendees(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress")
    lead = _client(app, login, people.lead)
    response = lead.post(f"/audits/{ids.audit_id}/meetings/closing",
                         data={"held_at": "2026-02-31T08:00", "attendees": "Lan, Nhung"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _feedback(page, "held_at")
    assert "Lan, Nhung" in page


def test_a_report_without_summary_is_shown_again_at_the_summary(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress")
    lead = _client(app, login, people.lead)
    response = lead.post(f"/audits/{ids.audit_id}/report/sign",
                         data={"summary": "", "password": "whatever"})
    assert response.status_code == 400
    assert _feedback(response.get_data(as_text=True), "summary")


def test_an_unknown_document_is_refused_at_the_document_field(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress")
    lead = _client(app, login, people.lead)
    response = lead.post(f"/audits/{ids.audit_id}/items/{ids.item_ids[0]}/evidence/document",
                         data={"document_id": 999999})
    assert response.status_code == 400
    assert _feedback(response.get_data(as_text=True), "document_id") == \
        "Choose a document in force."


def test_planning_refusals_stay_on_the_form(app, make, login):
    people = cast(make)
    coordinator = _client(app, login, people.coordinator)
    response = coordinator.post("/audits/programmes/new", data={
        "title": "Chương trình 2026", "period_start": "2026-12-31", "period_end": "2026-01-01"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _feedback(page, "period_end")
    assert "Chương trình 2026" in page
    ids = audit_in_state(app, people, "planned")
    response = coordinator.post(f"/audits/programmes/{ids.programme_id}/audits/new", data={
        "department_id": people.dept.id, "clause_ids": clause_ids(app, "9.2"),
        "criteria": "Tiêu chí riêng", "planned_start": "2026-06-05",
        "planned_end": "2026-06-01", "lead_auditor_id": people.lead.id})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _feedback(page, "planned_end")
    assert "Tiêu chí riêng" in page
    response = coordinator.post(f"/audits/programmes/{ids.programme_id}/audits/new", data={
        "department_id": "", "clause_ids": clause_ids(app, "9.2"),
        "planned_start": "2026-06-01", "planned_end": "2026-06-02",
        "lead_auditor_id": people.lead.id})
    assert response.status_code == 400
    assert _feedback(response.get_data(as_text=True), "department_id") == \
        "Choose the audited department."


def test_question_and_grade_refusals_stay_on_the_form(app, make, login):
    coordinator = make.user(roles=["coordinator"])
    client = _client(app, login, coordinator)
    response = client.post("/audits/questions/", data={
        "clause_id": clause_ids(app, "9.2")[0], "text_vi": "Có đánh giá nội bộ không?",
        "text_en": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _feedback(page, "text_en")
    assert "Có đánh giá nội bộ không?" in page
    # The version the edit page hands out (a post without it is refused as stale).
    response = client.post("/audits/grades/minor", data={
        "name_vi": "Nhẹ", "name_en": "Minor", "effectiveness_check_days": 900, "version": 1})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "730" in _feedback(page, "effectiveness_check_days")
    assert 'value="Nhẹ"' in page


def test_the_report_pdf_renders_without_holding_the_write_lock(app, make, login, monkeypatch):
    """Rendering takes seconds: meanwhile another writer must get the database at once."""
    people = cast(make)
    ids = audit_in_state(app, people, "reported")
    path = app.config["SQLALCHEMY_DATABASE_URI"]
    seen = []

    def fake_render(html, **_kw):
        if path.startswith("sqlite:///"):
            other = sqlite3.connect(path.removeprefix("sqlite:///"), timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")  # fails at once if someone holds the lock
                other.rollback()
                seen.append("free")
            except sqlite3.OperationalError:
                seen.append("locked")
            finally:
                other.close()
        else:
            seen.append("free")
        return b"%PDF-1.4 rendered"

    monkeypatch.setattr(report, "render_limited", fake_render)
    response = _client(app, login, people.head).get(f"/audits/{ids.audit_id}/report.pdf")
    assert response.status_code == 200
    assert seen == ["free"]
