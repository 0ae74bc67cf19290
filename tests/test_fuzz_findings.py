"""What the form fuzzer found (tests/test_form_fuzz.py), kept as plain tests on both
databases: each answered 500 before its fix (on PostgreSQL, or on both)."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from compliance.audit_trail.services import verify
from compliance.audits.models import ChecklistItem, Finding
from compliance.core.extensions import db
from tests.audits.helpers import audit_target

NUL_MESSAGE = "The request contains a NUL character (0x00)"


def _question_and_audit(app, make):
    dept = make.department()
    return audit_target(app, make, dept.id, "in_progress")


def test_nul_in_a_form_is_refused_not_stored(app, make, login):
    ids = _question_and_audit(app, make)
    admin = make.user(roles=["admin"])
    browser = app.test_client()
    login(browser, admin.email)
    # The question bank's edit form, as the fuzzer sent it (text with NUL in it).
    edited = browser.post(f"/audits/questions/{ids.question_id}", data={
        "clause_id": str(ids.clause_id), "text_vi": "Câu hỏi\x00", "text_en": "Question",
        "active": "y"})
    assert edited.status_code == 400
    assert NUL_MESSAGE in edited.get_data(as_text=True)
    # A query string, and an uploaded file's name, likewise.
    assert browser.get("/documents/?q=a%00b").status_code == 400
    checked = browser.post("/evidence/verify", data={
        "file": (io.BytesIO(b"%PDF-1.4"), "goi\x00.pdf")}, content_type="multipart/form-data")
    assert checked.status_code == 400
    with app.app_context():
        assert verify().ok


def test_a_finding_names_an_item_of_its_own_audit_only(app, make, login):
    ids = _question_and_audit(app, make)
    admin = make.user(roles=["admin"])
    browser = app.test_client()
    login(browser, admin.email)
    with app.app_context():
        clause_id = db.session.get(ChecklistItem, ids.item_id).clause_id
        before = db.session.scalar(select(func.count()).select_from(Finding))
    base = {"grade": "minor", "clause_id": str(clause_id), "description": "Thiếu hồ sơ"}
    # An item that does not exist, with a clause given: the insert used to fail on its
    # foreign key (500); without a clause, the item was looked up and not found (404).
    assert browser.post(f"/audits/{ids.audit_id}/findings",
                        data={**base, "item_id": "999999"}).status_code == 404
    # "²" is a digit to str.isdigit() but not to int(); an id past 32 bits is no row's.
    for item_id in ("²", str(2**40), "9" * 5000):
        assert browser.post(f"/audits/{ids.audit_id}/findings",
                            data={**base, "item_id": item_id}).status_code == 400, item_id
    assert browser.post(f"/audits/{ids.audit_id}/findings",
                        data={**base, "item_id": str(ids.item_id)}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Finding)) == before + 1
