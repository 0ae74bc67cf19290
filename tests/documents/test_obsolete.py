"""Making a document obsolete and reinstating it: a reason and a signature (the password
again) each time, on the version the coordinator saw; refusals change nothing."""

from __future__ import annotations

import html
import json

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.documents.models import Document, Revision
from tests.documents.test_forms import field_html
from tests.documents.test_rules import Setup, _make_effective
from tests.factories import PASSWORD


def version_of(s) -> int:
    """The document's version, as its page puts it in the forms."""
    with s.app.app_context():
        return db.session.get(Document, s.doc_id).version


def decide(s, action: str, client=None, **data):
    """Post the obsolete or reinstate form, signed, on the current version unless given."""
    form = {"reason": "Thay bằng QT-VP-05", "password": PASSWORD, "version": version_of(s),
            **data}
    return (client or s.coordinator).post(f"/documents/{s.doc_id}/{action}", data=form)


def _states(s) -> tuple[str, list[str]]:
    with s.app.app_context():
        revisions = db.session.scalars(select(Revision).where(Revision.document_id == s.doc_id)
                                       .order_by(Revision.number)).all()
        return db.session.get(Document, s.doc_id).status, [r.status for r in revisions]


def _events(s, action: str) -> list[dict]:
    with s.app.app_context():
        return [json.loads(e.after_json) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def test_obsolete_then_reinstated_each_signed_with_a_reason(app, make, login):
    s = Setup(app, make, login)
    first = _make_effective(s)
    s.upload(summary="Sửa đổi lần 2")
    second, _ = s.latest()
    s.author.post(s.url(second, "submit"))
    assert decide(s, "obsolete", client=s.author).status_code == 403
    assert decide(s, "obsolete").status_code == 302
    assert _states(s) == ("obsolete", ["obsolete", "obsolete"])
    [event] = _events(s, "document.obsolete")
    assert event["reason"] == "Thay bằng QT-VP-05" and event["method"] == "password"
    # Still readable by coordinators and auditors, marked; no longer by the department's staff.
    auditor = app.test_client()
    login(auditor, make.user(roles=["auditor"]).email)
    page = auditor.get(f"/documents/{s.doc_id}").get_data(as_text=True)
    assert 'data-testid="obsolete-mark"' in page and "Thay bằng QT-VP-05" in page
    reinstate_url = f"/documents/{s.doc_id}/reinstate"
    assert reinstate_url not in page  # auditors read, they do not decide
    assert auditor.get(s.url(first, "download")).status_code == 200
    assert s.staff.get(s.url(first, "download")).status_code == 403
    assert reinstate_url in s.coordinator.get(f"/documents/{s.doc_id}").get_data(as_text=True)
    assert decide(s, "obsolete").status_code == 409  # already obsolete
    # Reinstated: each revision goes back where it was; the document is in force again.
    assert decide(s, "reinstate", reason="Quyết định bãi bỏ bị hủy").status_code == 302
    assert _states(s) == ("effective", ["effective", "in_review"])
    [back] = _events(s, "document.reinstate")
    assert back["reason"] == "Quyết định bãi bỏ bị hủy" and back["method"] == "password"
    with app.app_context():
        document = db.session.get(Document, s.doc_id)
        assert document.next_review_date is not None and document.obsolete_reason is None
    assert s.staff.get(s.url(first, "download")).status_code == 200
    assert decide(s, "reinstate").status_code == 409  # not obsolete any more


def test_wrong_password_or_stale_version_changes_nothing(app, make, login):
    s = Setup(app, make, login)
    _make_effective(s)
    wrong = decide(s, "obsolete", password="not my password", reason="Lý do đã nhập")
    assert wrong.status_code == 400
    page = html.unescape(wrong.get_data(as_text=True))
    assert "The password is not correct; nothing was changed." in field_html(page, "password")
    assert "Lý do đã nhập" in page
    assert _states(s) == ("effective", ["effective"]) and not _events(s, "document.obsolete")
    assert _events(s, "auth.reauth_failed")[-1]["attempt"] == "document.obsolete"
    missing = decide(s, "obsolete", password="")
    assert missing.status_code == 400
    assert "Enter your password to sign." in field_html(
        html.unescape(missing.get_data(as_text=True)), "password")
    stale = decide(s, "obsolete", version=version_of(s) - 1)
    assert stale.status_code == 409 and _states(s) == ("effective", ["effective"])
    assert decide(s, "obsolete").status_code == 302
    assert decide(s, "reinstate", password="nope").status_code == 400
    assert decide(s, "reinstate", version=version_of(s) + 1).status_code == 409
    assert _states(s) == ("obsolete", ["obsolete"]) and not _events(s, "document.reinstate")
