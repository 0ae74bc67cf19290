"""Approval chains through the pages people use: a type's chain signed in order, in parallel,
rejected in the middle, a document's own chain, and the chain on the signature page and on
a controlled copy parsed back."""

from __future__ import annotations

import html
import io
import json

from pypdf import PdfReader
from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.auth.models import User
from compliance.core.extensions import db
from compliance.documents import rules
from compliance.documents.models import Approval, Document, Revision
from tests.documents.helpers import blank_pdf
from tests.documents.test_rules import Setup
from tests.factories import PASSWORD

IN_ORDER = [(1, "reviewed", "department_head"), (2, "approved", "coordinator")]
TYPE_CHAIN = "/documents/chains/procedure"


class Chained(Setup):
    """Setup's department (a head who writes, a coordinator, a staff member) with a second
    head who reviews, a head of another department and an auditor."""

    def __init__(self, app, make, login):
        super().__init__(app, make, login)
        self.reviewer_user = make.user(name="Phạm Thu Hà",
                                       departments=[(self.dept.id, "department_head")])
        self.reviewer = self._client(login, self.reviewer_user)
        elsewhere = make.department()
        self.outsider = self._client(login, make.user(
            departments=[(elsewhere.id, "department_head")]))
        self.auditor = self._client(login, make.user(roles=["auditor"]))

    def set_type_chain(self, steps, version=0, client=None):
        """Post the procedure type's chain."""
        return (client or self.coordinator).post(TYPE_CHAIN, data=chain_form(steps, version))

    def in_review(self) -> int:
        """Upload a draft and submit it: the id of the revision in review."""
        # Blank pages made by pypdf: the chain is printed on the copy, no text is needed.
        self.upload(content=blank_pdf(width=595, height=842))
        rev, _ = self.latest()
        assert self.author.post(self.url(rev, "submit")).status_code == 302
        return rev

    def sign(self, client, rev, meaning, **data):
        return client.post(self.url(rev, "sign"), data={"meaning": meaning,
                                                        "password": PASSWORD, **data})

    def buttons(self, client, rev) -> bool:
        """Whether the document page offers this client the sign button of the revision."""
        page = client.get(f"/documents/{self.doc_id}").get_data(as_text=True)
        return self.url(rev, "sign") in page

    def status(self, rev) -> str:
        with self.app.app_context():
            return db.session.get(Revision, rev).status

    def signatures(self, rev) -> list[tuple[str, str]]:
        with self.app.app_context():
            return [(a.signer_name, a.meaning) for a in db.session.scalars(
                select(Approval).where(Approval.revision_id == rev).order_by(Approval.id))]


def chain_form(steps, version, **extra) -> dict:
    """The chain form's fields for these (position, meaning, role) rows."""
    data = {"version": version, **extra}
    for n, (position, meaning, role) in enumerate(steps):
        data |= {f"steps-{n}-position": position, f"steps-{n}-meaning": meaning,
                 f"steps-{n}-role": role}
    return data


def events(app, action: str) -> list[dict]:
    with app.app_context():
        return [json.loads(e.after_json) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def signable(app, email: str) -> set[int]:
    """The revisions the dashboard's query says this person may sign now."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        stmt = select(Revision.id, Document.id).join(Document, Document.id == Revision.document_id)
        return {rev for rev, _doc in db.session.execute(rules.signable_revisions(user, stmt))}


def test_a_chain_in_order_is_signed_step_by_step_and_printed_on_the_copy(app, make, login):
    s = Chained(app, make, login)
    # Only coordinators configure chains; a stale version is a conflict.
    assert s.set_type_chain(IN_ORDER, client=s.author).status_code == 403
    assert s.set_type_chain(IN_ORDER).status_code == 302
    assert events(app, "approval_chain.edit")[-1]["steps"][0] == {
        "position": 1, "meaning": "reviewed", "role": "department_head"}
    assert s.set_type_chain(IN_ORDER, version=0).status_code == 409
    listed = s.coordinator.get("/documents/chains").get_data(as_text=True)
    assert "Reviewed — Department head" in listed and 'data-testid="nav-chains"' in listed
    assert 'data-testid="nav-chains"' not in s.staff.get("/account").get_data(as_text=True)

    rev = s.in_review()
    # Step 1 first: the coordinator (step 2) has no button yet and is refused as too early.
    assert s.buttons(s.reviewer, rev) and not s.buttons(s.coordinator, rev)
    early = s.sign(s.coordinator, rev, "approved")
    assert early.status_code == 409 and "step 1" in early.get_data(as_text=True)
    assert rev in signable(app, s.reviewer_user.email)
    assert rev not in signable(app, s.coordinator_user.email)
    page = s.coordinator.get(s.url(rev, "sign"))
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 200 and 'data-testid="not-your-turn"' in text
    assert "awaited now: Phạm Thu Hà" in text  # who is still awaited, by name
    # Nobody else signs at all: the author, staff, a head elsewhere, an auditor.
    for client in (s.author, s.staff, s.outsider, s.auditor):
        assert s.sign(client, rev, "reviewed").status_code == 403
        assert not s.buttons(client, rev)

    assert s.sign(s.reviewer, rev, "reviewed", comment="Nội dung phù hợp").status_code == 302
    assert s.status(rev) == "in_review"
    assert s.buttons(s.coordinator, rev) and not s.buttons(s.reviewer, rev)
    assert rev in signable(app, s.coordinator_user.email)
    # The signature page shows the whole chain: step 1 signed, step 2 awaited.
    text = html.unescape(s.coordinator.get(s.url(rev, "sign")).get_data(as_text=True))
    assert "signed by Phạm Thu Hà" in text and "Approved for use — ISO coordinator" in text
    assert s.sign(s.coordinator, rev, "approved").status_code == 302
    assert s.status(rev) == "effective"
    step = events(app, "revision.sign.approved")[-1]["step"]
    assert step == {"position": 2, "meaning": "approved", "role": "coordinator"}

    # The controlled copy prints every step, its meaning, who signed and when.
    copy = s.staff.get(s.url(rev, "download"))
    printed = " ".join(PdfReader(io.BytesIO(copy.data)).pages[0].extract_text().split())
    assert "Step 1 · Reviewed — Department head: Phạm Thu Hà" in printed
    assert "Step 2 · Approved for use — ISO coordinator: Người dùng" in printed
    # And how each signer proved who they were again, when (issue 19).
    assert printed.count("(Identity proved again by: password, ") == 2


def test_parallel_steps_are_signed_in_either_order_and_each_by_another_person(
        app, make, login):
    s = Chained(app, make, login)
    parallel = [(1, "checked", "approver"), (1, "approved", "coordinator")]
    assert s.set_type_chain(parallel).status_code == 302
    rev = s.in_review()
    # Both steps are open at once: the head and the coordinator both have the button.
    assert s.buttons(s.reviewer, rev) and s.buttons(s.coordinator, rev)
    assert s.sign(s.coordinator, rev, "approved").status_code == 302
    assert s.status(rev) == "in_review"  # in force only once both are signed
    # The coordinator is an approver too, but signs one step of the chain at most.
    again = s.sign(s.coordinator, rev, "checked")
    assert again.status_code == 403 and "different person" in again.get_data(as_text=True)
    assert not s.buttons(s.coordinator, rev)
    assert rev not in signable(app, s.coordinator_user.email)
    # A head asked for a meaning no step of theirs has is told so at the field.
    wrong = s.sign(s.reviewer, rev, "approved")
    assert wrong.status_code == 400 and "has this meaning" in wrong.get_data(as_text=True)
    assert s.sign(s.reviewer, rev, "checked").status_code == 302
    assert s.status(rev) == "effective"
    assert [m for _name, m in s.signatures(rev)] == ["approved", "checked"]
    # An evidence pack's register prints the chain too (its HTML, before the PDF; the
    # pack's language, Vietnamese).
    register = " ".join(_register(app, rev).split())
    assert "Bước 1 · Đã kiểm tra — Người phê duyệt của phòng: Phạm Thu Hà" in register
    assert "Bước 1 · Phê duyệt ban hành — Thư ký ISO: Người dùng" in register


def _register(app, rev) -> str:
    """The register section of an evidence pack holding this revision, as HTML."""
    from datetime import date
    from types import SimpleNamespace

    from flask import render_template
    from flask_babel import force_locale

    from compliance.evidence.builder import collect

    pack = SimpleNamespace(scope_label="VP", reference="EP-1", period_start=date(2026, 1, 1),
                           period_end=date(2026, 12, 31))
    with app.test_request_context(), force_locale("vi"):
        entries = collect.documents([db.session.get(Revision, rev)], "vi", pack.period_end)
        return render_template("pdf/evidence/register.html", docs=entries, pack=pack,
                               org_name="UBND", locale="vi", labels=collect.labels(),
                               css=collect.css_string)


def test_a_rejection_in_the_middle_sends_it_back_with_the_earlier_signature_kept(
        app, make, login):
    s = Chained(app, make, login)
    three = [(1, "reviewed", "department_head"), (2, "checked", "coordinator"),
             (3, "approved", "approver")]
    assert s.set_type_chain(three).status_code == 302
    rev = s.in_review()
    assert s.sign(s.reviewer, rev, "reviewed").status_code == 302
    rejected = s.coordinator.post(s.url(rev, "reject"), data={
        "comment": "Thiếu căn cứ pháp lý", "password": PASSWORD})
    assert rejected.status_code == 302
    assert s.status(rev) == "draft"
    assert s.signatures(rev) == [("Phạm Thu Hà", "reviewed"), (
        s.coordinator_user.name, "rejected")]
    [event] = events(app, "revision.reject")
    assert event["step"]["position"] == 2 and event["comment"] == "Thiếu căn cứ pháp lý"
    page = html.unescape(s.author.get(f"/documents/{s.doc_id}").get_data(as_text=True))
    assert "Thiếu căn cứ pháp lý" in page and "signed by Phạm Thu Hà" in page
    # Submitted again: a new round, every step awaited again, the first round on record.
    assert s.author.post(s.url(rev, "submit")).status_code == 302
    assert s.buttons(s.reviewer, rev) and not s.buttons(s.coordinator, rev)
    page = html.unescape(s.author.get(f"/documents/{s.doc_id}").get_data(as_text=True))
    assert page.count("signed by Phạm Thu Hà") == 0 and "Thiếu căn cứ pháp lý" in page
    assert events(app, "revision.submit")[-1]["round"] == 2


def test_a_document_gets_its_own_chain_with_a_reason_then_its_type_chain_again(
        app, make, login):
    s = Chained(app, make, login)
    url = f"/documents/{s.doc_id}/chain"
    own = [(1, "approved", "department_head")]
    assert s.author.get(url).status_code == 403
    assert s.coordinator.get(url).status_code == 200
    no_reason = s.coordinator.post(url, data=chain_form(own, 0, reason=""))
    assert no_reason.status_code == 400
    assert "Give the reason" in no_reason.get_data(as_text=True)
    no_approval = s.coordinator.post(url, data=chain_form(
        [(1, "reviewed", "coordinator")], 0, reason="Văn bản liên tịch"))
    assert no_approval.status_code == 400
    assert "approves the revision for use" in no_approval.get_data(as_text=True)
    assert s.coordinator.post(url, data=chain_form(
        own, 0, reason="Chỉ trưởng phòng ký ban hành")).status_code == 302
    assert s.coordinator.post(url, data=chain_form(own, 0, reason="Lần nữa")).status_code == 409
    [event] = events(app, "document.chain_override")
    assert event["reason"] == "Chỉ trưởng phòng ký ban hành"
    page = html.unescape(s.author.get(f"/documents/{s.doc_id}").get_data(as_text=True))
    assert "This document's own chain." in page and "Chỉ trưởng phòng ký ban hành" in page

    rev = s.in_review()
    # Only the department's head signs now: the coordinator holds no step of this chain.
    assert s.sign(s.coordinator, rev, "approved").status_code == 403
    assert s.sign(s.reviewer, rev, "approved").status_code == 302
    assert s.status(rev) == "effective"
    # Back on the type's chain (the single default step), with the reason.
    assert s.coordinator.post(url, data=chain_form(
        own, 1, reason="Hết thời gian thí điểm", use_type_chain="y")).status_code == 302
    assert events(app, "document.chain_reset")[-1]["steps"] == [
        {"position": 1, "meaning": "approved", "role": "approver"}]
