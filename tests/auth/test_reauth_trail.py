"""Typing one's password again (a signature, a password change): refused attempts are in the
trail with who, what and why, although the request is refused and rolled back; the account
page is limited like signatures, from one allowance per person, and says so at the field
(issue 12, item 6)."""

from __future__ import annotations

import pytest

from compliance.audit_trail.services import verify
from compliance.audits.models import Audit
from compliance.core.extensions import db
from compliance.documents.models import Revision
from tests.audits.helpers import audit_target
from tests.auth.test_admin_users import events, field_error
from tests.documents.helpers import document_target
from tests.factories import PASSWORD

NEW_PASSWORD = "my own new passphrase"
TRIES = 3


@pytest.fixture
def few_tries(app):
    """An allowance of three wrong passwords, to reach the lock-out quickly."""
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = f"{TRIES} per 15 minutes"


def refusals(app) -> list:
    return events(app, "auth.reauth_failed")


def _change(client, current: str):
    return client.post("/account", data={"current": current, "new": NEW_PASSWORD,
                                          "confirm": NEW_PASSWORD})


def test_the_account_page_says_how_many_tries_there_are(app, client, make, login):
    login(client, make.user().email)
    page = client.get("/account").get_data(as_text=True)
    assert "after 5 wrong passwords within 15 minutes" in page
    assert "blocked for up to 15 minutes" in page


def test_wrong_current_passwords_are_recorded_and_then_locked_out(app, client, make, login,
                                                                  few_tries):
    user = make.user()
    login(client, user.email)
    for n in range(TRIES):
        wrong = _change(client, f"not my password {n}")
        assert wrong.status_code == 400
        assert "current password is not correct" in field_error(
            wrong.get_data(as_text=True), "current")
    # Even the right password now waits, and the page says why, at the field.
    locked = _change(client, PASSWORD)
    assert locked.status_code == 429
    assert "Too many wrong passwords" in field_error(locked.get_data(as_text=True), "current")
    assert events(app, "user.password") == []
    assert login(app.test_client(), user.email, PASSWORD).status_code == 302
    trail = refusals(app)
    assert [(e.actor_id, e.entity_id, e.after["attempt"], e.after["reason"]) for e in trail] == \
        [(user.id, str(user.id), "user.password_change", "wrong_password")] * TRIES + \
        [(user.id, str(user.id), "user.password_change", "locked_out")]
    assert trail[0].after["ip"] == "127.0.0.1"


def test_a_right_current_password_is_not_counted(app, client, make, login, few_tries):
    user = make.user()
    login(client, user.email)
    for _ in range(TRIES - 1):
        assert _change(client, "not my password").status_code == 400
    # A mistake elsewhere in the form is not a wrong password either.
    assert client.post("/account", data={"current": PASSWORD, "new": NEW_PASSWORD,
                                         "confirm": "something else"}).status_code == 400
    assert _change(client, PASSWORD).status_code == 302


def _in_review(app, make):
    dept = make.department()
    author = make.user(departments=[(dept.id, "department_head")])
    signer = make.user(roles=["coordinator"])
    ids = document_target(app, dept.id, author.id, state="in_review")
    return signer, ids


def test_a_refused_document_signature_is_in_the_trail_and_nothing_else_is(app, client, make,
                                                                         login):
    signer, ids = _in_review(app, make)
    login(client, signer.email)
    base = f"/documents/{ids.document_id}/revisions/{ids.revision_id}"
    before = len(events(app))
    sign = client.post(f"{base}/sign", data={"meaning": "approved", "password": "wrong one",
                                             "comment": "Đồng ý"})
    reject = client.post(f"{base}/reject", data={"comment": "Chưa đạt", "password": "nope"})
    assert (sign.status_code, reject.status_code) == (400, 400)
    trail = events(app)[before:]
    assert [(e.action, e.actor_id, e.entity_id, e.after["attempt"], e.after["reason"],
             e.after["revision_id"]) for e in trail] == [
        ("auth.reauth_failed", signer.id, str(ids.document_id), "revision.sign.approved",
         "wrong_password", ids.revision_id),
        ("auth.reauth_failed", signer.id, str(ids.document_id), "revision.reject",
         "wrong_password", ids.revision_id)]
    with app.app_context():
        revision = db.session.get(Revision, ids.revision_id)
        assert (revision.status, revision.approvals) == ("in_review", [])
        assert verify().ok  # the events kept despite the refusals chain on as any other


def test_a_signer_locked_out_is_in_the_trail_too(app, client, make, login, few_tries):
    signer, ids = _in_review(app, make)
    login(client, signer.email)
    url = f"/documents/{ids.document_id}/revisions/{ids.revision_id}/sign"
    for _ in range(TRIES):
        assert client.post(url, data={"meaning": "reviewed",
                                      "password": "wrong"}).status_code == 400
    assert client.post(url, data={"meaning": "reviewed", "password": PASSWORD}).status_code == 429
    # One allowance per person: the password change is locked as well.
    assert _change(client, PASSWORD).status_code == 429
    reasons = [(e.after["attempt"], e.after["reason"]) for e in refusals(app)]
    assert reasons == [("revision.sign.reviewed", "wrong_password")] * TRIES + [
        ("revision.sign", "locked_out"), ("user.password_change", "locked_out")]
    assert refusals(app)[TRIES].after["revision_id"] == ids.revision_id


def test_a_refused_audit_report_signature_is_in_the_trail_and_the_report_unsigned(
        app, client, make, login):
    lead = make.user(roles=["auditor"])
    ids = audit_target(app, make, make.department().id, "in_progress", lead=lead,
                       answered=True)
    login(client, lead.email)
    response = client.post(f"/audits/{ids.audit_id}/report/sign",
                           data={"summary": "Hệ thống được duy trì", "password": "wrong"})
    assert response.status_code == 403
    [refusal] = refusals(app)
    assert (refusal.actor_id, refusal.entity_id, refusal.after["attempt"],
            refusal.after["reason"]) == (lead.id, str(ids.audit_id), "audit.report_signed",
                                         "wrong_password")
    with app.app_context():
        audit = db.session.get(Audit, ids.audit_id)
        assert (audit.status, audit.summary or "") == ("in_progress", "")
