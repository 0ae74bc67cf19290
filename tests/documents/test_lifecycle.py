"""A document from registration to a stamped controlled copy, through the pages users use."""

from __future__ import annotations

import hashlib
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from compliance.audit_trail.services import verify
from compliance.core.extensions import db
from compliance.documents.models import Acknowledgement, Document, Revision
from tests.documents.helpers import create_document, pdf_bytes, upload_data
from tests.factories import PASSWORD


def _ids(app, code=None):
    with app.app_context():
        document = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
        revisions = {r.label: r.id for r in document.revisions}
        return document.id, revisions


def test_upload_approve_effective_download(app, make, login):
    dept = make.department(code="TCKH")
    head = make.user(name="Lê Văn Phúc", departments=[(dept.id, "department_head")])
    coordinator = make.user(name="Trần Minh Thư", roles=["coordinator"])
    reader = make.user(name="Nguyễn Hoàng Long", departments=[(dept.id, "staff")])
    author, approver = app.test_client(), app.test_client()
    login(author, head.email)
    login(approver, coordinator.email)

    response = create_document(author, dept.id, head.id)
    assert response.status_code == 302, response.get_data(as_text=True)
    doc_id, _ = _ids(app)
    original = pdf_bytes("Quy trình thẩm định dự toán ngân sách")
    response = author.post(f"/documents/{doc_id}/revisions/new", data=upload_data(original),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    _, revisions = _ids(app)
    rev = revisions["01"]
    assert author.post(f"/documents/{doc_id}/revisions/{rev}/submit").status_code == 302

    # The author may not sign their own work.
    assert author.post(f"/documents/{doc_id}/revisions/{rev}/sign", data={
        "meaning": "approved", "password": PASSWORD}).status_code == 403
    wrong = approver.post(f"/documents/{doc_id}/revisions/{rev}/sign", data={
        "meaning": "approved", "password": "not my password"})
    assert wrong.status_code == 400
    signed = approver.post(f"/documents/{doc_id}/revisions/{rev}/sign", data={
        "meaning": "approved", "password": PASSWORD, "comment": "Đồng ý ban hành"})
    assert signed.status_code == 302

    with app.app_context():
        document = db.session.get(Document, doc_id)
        revision = db.session.get(Revision, rev)
        assert document.code == "QT-TCKH-01"
        assert (document.status, revision.status) == ("effective", "effective")
        assert document.next_review_date is not None
        asked = db.session.scalars(select(Acknowledgement.user_id)).all()
        assert set(asked) == {head.id, reader.id}
        assert verify().ok

    page = approver.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Trần Minh Thư" in page and "Đồng ý ban hành" in page

    staff = app.test_client()
    login(staff, reader.email)
    copy = staff.get(f"/documents/{doc_id}/revisions/{rev}/download")
    assert copy.status_code == 200 and copy.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(copy.data)).pages[0].extract_text()
    assert "QT-TCKH-01" in text and "Nguyễn Hoàng Long" in text
    assert re.search(r"(Approved|Phê duyệt).*Trần Minh Thư", text)  # the signature is printed
    assert re.search(r"UNCONTROLLED WHEN PRINTED|KHÔNG KIỂM SOÁT", text)
    assert "Quy trình thẩm định dự toán ngân sách" in text

    kept = approver.get(f"/documents/{doc_id}/revisions/{rev}/original")
    assert hashlib.sha256(kept.data).hexdigest() == hashlib.sha256(original).hexdigest()
    assert staff.get(f"/documents/{doc_id}/revisions/{rev}/original").status_code == 403

    assert staff.post(f"/documents/{doc_id}/revisions/{rev}/acknowledge").status_code == 302
    with app.app_context():
        done = db.session.scalar(select(Acknowledgement).where(
            Acknowledgement.user_id == reader.id))
        assert done.acknowledged_at is not None


def test_second_revision_supersedes_the_first(app, make, login):
    dept = make.department(code="TP")
    head = make.user(departments=[(dept.id, "department_head")])
    coordinator = make.user(roles=["coordinator"])
    author, approver = app.test_client(), app.test_client()
    login(author, head.email)
    login(approver, coordinator.email)
    create_document(author, dept.id, head.id)
    doc_id, _ = _ids(app)
    for n in (1, 2):
        author.post(f"/documents/{doc_id}/revisions/new",
                    data=upload_data(pdf_bytes(f"Nội dung lần {n}"), summary=f"Lần {n}"),
                    content_type="multipart/form-data")
        _, revisions = _ids(app)
        rev = revisions[f"{n:02d}"]
        author.post(f"/documents/{doc_id}/revisions/{rev}/submit")
        approver.post(f"/documents/{doc_id}/revisions/{rev}/sign",
                      data={"meaning": "approved", "password": PASSWORD})
    _, revisions = _ids(app)
    with app.app_context():
        statuses = {label: db.session.get(Revision, rid).status for label, rid in revisions.items()}
    assert statuses == {"01": "superseded", "02": "effective"}
    staff = make.user(departments=[(dept.id, "staff")])
    reader = app.test_client()
    login(reader, staff.email)
    old_url = f"/documents/{doc_id}/revisions/{revisions['01']}/download"
    assert reader.get(old_url).status_code == 403
    old = approver.get(old_url)
    assert "SUPERSEDED" in PdfReader(io.BytesIO(old.data)).pages[0].extract_text()
