"""Every refusal of the document state machine answers 4xx with a reason and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.documents.models import Document, Revision
from tests.documents.helpers import create_document, pdf_bytes, upload_data
from tests.factories import PASSWORD


class Setup:
    """A department with a head, a coordinator, a staff member and one draft document."""

    def __init__(self, app, make, login):
        self.app = app
        dept = make.department(code="VP")
        self.dept = dept
        self.head = make.user(departments=[(dept.id, "department_head")])
        self.coordinator_user = make.user(roles=["coordinator"])
        self.staff_user = make.user(departments=[(dept.id, "staff")])
        self.author = self._client(login, self.head)
        self.coordinator = self._client(login, self.coordinator_user)
        self.staff = self._client(login, self.staff_user)
        create_document(self.author, dept.id, self.head.id)
        with app.app_context():
            self.doc_id = db.session.scalar(select(func.max(Document.id)))

    def _client(self, login, user):
        client = self.app.test_client()
        login(client, user.email)
        return client

    def upload(self, client=None, content=None, **kwargs):
        """Upload through the form."""
        return (client or self.author).post(
            f"/documents/{self.doc_id}/revisions/new",
            data=upload_data(content or pdf_bytes(), **kwargs),
            content_type="multipart/form-data")

    def latest(self):
        """(id, status) of the newest revision."""
        with self.app.app_context():
            revision = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
            return revision.id, revision.status

    def url(self, rev, action):
        """A revision action URL."""
        return f"/documents/{self.doc_id}/revisions/{rev}/{action}"

    def version(self) -> int:
        """The document's version, as its page puts it in the forms."""
        with self.app.app_context():
            return db.session.get(Document, self.doc_id).version

    def obsolete(self, reason: str = "Bãi bỏ"):
        """Make the document obsolete through the form, signed."""
        return self.coordinator.post(f"/documents/{self.doc_id}/obsolete", data={
            "reason": reason, "password": PASSWORD, "version": self.version()})

    def events(self):
        """How many audit events exist."""
        with self.app.app_context():
            return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_staff_cannot_register_or_revise(app, make, login):
    s = Setup(app, make, login)
    assert create_document(s.staff, s.dept.id, s.staff_user.id).status_code == 403
    assert s.upload(client=s.staff).status_code == 403


def test_illegal_transitions_are_refused_with_a_reason(app, make, login):
    s = Setup(app, make, login)
    s.upload()
    rev, status = s.latest()
    assert status == "draft"
    before = s.events()
    refused = s.coordinator.post(s.url(rev, "sign"), data={"meaning": "approved",
                                                          "password": PASSWORD})
    assert refused.status_code == 409
    assert "review" in refused.get_data(as_text=True)
    assert s.events() == before
    # A draft takes a new file in place; once submitted, a new upload is refused.
    assert s.upload(content=pdf_bytes("Bản sửa"), summary="Sửa lại").status_code == 302
    assert s.latest() == (rev, "draft")
    s.author.post(s.url(rev, "submit"))
    second = s.upload(summary="Another draft")
    assert second.status_code == 409
    assert "in progress" in second.get_data(as_text=True)
    assert s.author.post(s.url(rev, "submit")).status_code == 409
    assert s.author.post(s.url(rev, "withdraw")).status_code == 409
    no_reason = s.coordinator.post(s.url(rev, "reject"), data={"comment": "",
                                                              "password": PASSWORD})
    assert no_reason.status_code == 400
    rejected = s.coordinator.post(s.url(rev, "reject"), data={
        "comment": "Thiếu biểu mẫu kèm theo", "password": PASSWORD})
    assert rejected.status_code == 302
    assert s.latest() == (rev, "draft")
    page = s.author.get(f"/documents/{s.doc_id}").get_data(as_text=True)
    assert "Thiếu biểu mẫu kèm theo" in page


def test_withdraw_a_rejected_draft_keeps_its_record_then_upload_again(app, make, login):
    s = Setup(app, make, login)
    s.upload()
    rev, _ = s.latest()
    s.author.post(s.url(rev, "submit"))
    s.coordinator.post(s.url(rev, "reject"), data={"comment": "Sai mẫu", "password": PASSWORD})
    assert s.author.post(s.url(rev, "withdraw")).status_code == 302
    assert s.latest() == (rev, "withdrawn")
    assert s.upload().status_code == 302
    new_rev, status = s.latest()
    assert new_rev != rev and status == "draft"
    assert "Sai mẫu" in s.coordinator.get(f"/documents/{s.doc_id}").get_data(as_text=True)


def test_future_effective_date_waits_then_activates(app, make, login, clock):
    from datetime import timedelta

    from compliance.core import clock
    from compliance.core.db import write_intent
    from compliance.documents.services.approval import activate_due

    s = Setup(app, make, login)
    s.upload()
    rev, _ = s.latest()
    s.author.post(s.url(rev, "submit"))
    later = clock.today() + timedelta(days=10)
    past = s.coordinator.post(s.url(rev, "sign"), data={
        "meaning": "approved", "password": PASSWORD,
        "effective_date": (clock.today() - timedelta(days=3)).isoformat()})
    assert past.status_code == 400
    s.coordinator.post(s.url(rev, "sign"), data={
        "meaning": "approved", "password": PASSWORD, "effective_date": later.isoformat()})
    assert s.latest() == (rev, "approved")
    with app.app_context(), write_intent():
        assert activate_due(later - timedelta(days=1)) == 0
        assert activate_due(later) == 1
        db.session.commit()
    assert s.latest() == (rev, "effective")


def test_reviewed_signature_keeps_the_revision_in_review(app, make, login):
    s = Setup(app, make, login)
    s.upload()
    rev, _ = s.latest()
    s.author.post(s.url(rev, "submit"))
    s.coordinator.post(s.url(rev, "sign"), data={"meaning": "reviewed", "password": PASSWORD})
    assert s.latest() == (rev, "in_review")


def _make_effective(s):
    s.upload()
    rev, _ = s.latest()
    s.author.post(s.url(rev, "submit"))
    s.coordinator.post(s.url(rev, "sign"), data={"meaning": "approved", "password": PASSWORD})
    return rev


def test_periodic_review_no_change_extends_and_revise_opens_a_draft(app, make, login):
    s = Setup(app, make, login)
    rev = _make_effective(s)
    review_url = f"/documents/{s.doc_id}/review"
    assert s.staff.post(review_url, data={"outcome": "no_change",
                                          "comment": "ok"}).status_code == 403
    assert s.author.post(review_url, data={"outcome": "no_change",
                                           "comment": "Vẫn phù hợp"}).status_code == 302
    assert s.author.post(review_url, data={"outcome": "revise",
                                           "comment": "Cập nhật biểu phí"}).status_code == 302
    new_rev, status = s.latest()
    assert new_rev != rev and status == "draft"
    assert "Vẫn phù hợp" in s.author.get(f"/documents/{s.doc_id}").get_data(as_text=True)


def test_obsolete_needs_a_reason_and_stops_revisions(app, make, login):
    s = Setup(app, make, login)
    rev = _make_effective(s)
    url = f"/documents/{s.doc_id}/obsolete"
    signed = {"password": PASSWORD, "version": s.version()}
    assert s.author.post(url, data={"reason": "x", **signed}).status_code == 403
    assert s.coordinator.post(url, data={"reason": "", **signed}).status_code == 400
    assert s.coordinator.post(url, data={"reason": "Thay bằng QT-VP-05",
                                         **signed}).status_code == 302
    assert s.latest() == (rev, "obsolete")
    assert s.upload().status_code == 400
    assert s.staff.get(s.url(rev, "download")).status_code == 403
    copy = s.coordinator.get(s.url(rev, "download"))
    assert copy.status_code == 200


def test_acknowledging_without_a_request_is_refused(app, make, login):
    s = Setup(app, make, login)
    rev = _make_effective(s)
    outsider = make.user(roles=["auditor"])
    client = app.test_client()
    login(client, outsider.email)
    assert client.post(s.url(rev, "acknowledge")).status_code == 404


def test_stale_edit_gets_a_conflict(app, make, login):
    s = Setup(app, make, login)
    data = {"doc_type": "procedure", "department_id": s.dept.id, "title_vi": "Tiêu đề mới",
            "owner_id": s.head.id, "review_interval_months": 6, "version": 1}
    assert s.author.post(f"/documents/{s.doc_id}/edit", data=data).status_code == 302
    stale = s.coordinator.post(f"/documents/{s.doc_id}/edit", data={**data, "title_vi": "Khác"})
    assert stale.status_code == 409
    with app.app_context():
        assert db.session.get(Document, s.doc_id).title_vi == "Tiêu đề mới"


def test_activate_due_command(app, make, login, runner, clock):
    from datetime import timedelta

    s = Setup(app, make, login)
    s.upload()
    rev, _ = s.latest()
    s.author.post(s.url(rev, "submit"))
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    s.coordinator.post(s.url(rev, "sign"), data={"meaning": "approved", "password": PASSWORD,
                                                 "effective_date": tomorrow})
    result = runner.invoke(args=["documents", "activate-due"])
    # In the installation's default language (Vietnamese), with no "(s)".
    assert result.exit_code == 0 and result.output == "0 phiên bản đã có hiệu lực\n"
    assert s.latest() == (rev, "approved")


def test_editing_keeps_the_review_date_a_review_set(app, make, login):
    from compliance.documents.models import Document as Doc

    s = Setup(app, make, login)
    _make_effective(s)
    s.author.post(f"/documents/{s.doc_id}/review", data={"outcome": "no_change",
                                                         "comment": "Vẫn phù hợp"})
    with app.app_context():
        reviewed = db.session.get(Doc, s.doc_id).next_review_date
        version = db.session.get(Doc, s.doc_id).version  # as the edit page shows it
    data = {"doc_type": "procedure", "department_id": s.dept.id, "title_vi": "Tên mới",
            "owner_id": s.head.id, "review_interval_months": 12}
    assert s.author.post(f"/documents/{s.doc_id}/edit",
                         data={**data, "version": version}).status_code == 302
    with app.app_context():
        assert db.session.get(Doc, s.doc_id).next_review_date == reviewed
    assert s.author.post(f"/documents/{s.doc_id}/edit", data={
        **data, "review_interval_months": 6, "version": version + 1}).status_code == 302
    with app.app_context():
        assert db.session.get(Doc, s.doc_id).next_review_date < reviewed


def test_obsolete_documents_cannot_be_edited_and_authors_cannot_open_the_sign_page(
        app, make, login):
    s = Setup(app, make, login)
    s.upload()
    rev, _ = s.latest()
    s.author.post(s.url(rev, "submit"))
    assert s.author.get(s.url(rev, "sign")).status_code == 403
    assert s.obsolete().status_code == 302
    data = {"doc_type": "procedure", "department_id": s.dept.id, "title_vi": "x",
            "owner_id": s.head.id, "review_interval_months": 12}
    assert s.coordinator.post(f"/documents/{s.doc_id}/edit", data=data).status_code == 409


def test_wrong_signature_passwords_are_rate_limited(app, make, login):
    s = Setup(app, make, login)
    s.upload()
    rev, _ = s.latest()
    s.author.post(s.url(rev, "submit"))
    for _ in range(5):
        assert s.coordinator.post(s.url(rev, "sign"), data={
            "meaning": "approved", "password": "wrong one"}).status_code == 400
    assert s.coordinator.post(s.url(rev, "sign"), data={
        "meaning": "approved", "password": PASSWORD}).status_code == 429


def test_a_bad_code_pattern_stops_the_start(tmp_path):
    import pytest

    from tests.conftest import make_app

    for pattern in ("{kind}-{seq}", "{type}/{dept}/{seq}", "{type}-{dept}"):
        with pytest.raises(RuntimeError, match="DOCUMENT_CODE_PATTERN"):
            make_app("sqlite", tmp_path, DOCUMENT_CODE_PATTERN=pattern)
