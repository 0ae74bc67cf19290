"""Issue 15: service accounts for integrations, made by an administrator, who also sees and
revokes every API token of the organisation; a service account never reaches the pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.auth import sessions
from compliance.auth.models import ApiToken, User
from compliance.core import tenancy
from compliance.core.extensions import db
from tests.api.helpers import service_account_with_token
from tests.conftest import do_login
from tests.installation.helpers import second_organisation


def _service_account(client, email="motcua@example.com") -> int:
    answer = client.post("/admin/service-accounts/new", data={
        "name": "Phần mềm một cửa", "email": email, "roles": "coordinator"})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return int(answer.headers["Location"].rsplit("/", 1)[1])


def _token_for(client, account_id: int, scope="read") -> str:
    page = client.post("/admin/tokens/", data={"account_id": account_id, "name": "một cửa",
                                               "scope": scope, "days": "30"})
    assert page.status_code == 201, page.get_data(as_text=True)
    return re.search(r'id="new-token">(cmp_[^<]+)<', page.get_data(as_text=True)).group(1)


def test_a_service_account_acts_through_its_token_and_never_signs_in(app, client, make):
    do_login(client, make.user(roles=["admin"], locale="en").email)
    account_id = _service_account(client)
    secret = _token_for(client, account_id)
    api = app.test_client()
    answer = api.get("/api/v1/departments/", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200
    # Password sign-in is refused with a reason, whatever the password.
    page = app.test_client().post("/login", data={"email": "motcua@example.com",
                                                  "password": "anything at all"})
    assert page.status_code == 401
    assert "tài khoản dịch vụ" in page.get_data(as_text=True)  # the visitor reads Vietnamese
    # A page session is refused too (none can be opened; one forged in the store is ignored).
    with app.app_context():
        sid = sessions.start(db.session.get(User, account_id), app.permanent_session_lifetime)
        db.session.commit()
        refused = db.session.scalar(select(AuditEvent.after_json).where(
            AuditEvent.action == "auth.login_failed"))
    assert '"service_account"' in refused
    forged = app.test_client()
    with forged.session_transaction() as cookie:
        cookie.update({"_user_id": str(account_id), "sid": sid})
    assert forged.get("/").status_code == 302
    # No password to reset: it is refused at the field.
    reset = client.post(f"/admin/users/{account_id}/password", data={"password": "x" * 12})
    assert reset.status_code == 409 and "no password" in reset.get_data(as_text=True)
    detail = client.get(f"/admin/users/{account_id}").get_data(as_text=True)
    assert "Service account" in detail and "created the service account" in detail


def test_the_administrator_sees_and_revokes_every_token(app, client, make):
    person = make.user(roles=["coordinator"])
    mine = app.test_client()
    do_login(mine, person.email)
    assert mine.post("/account/tokens/", data={"name": "script của tôi", "scope": "read",
                                               "days": "90"}).status_code == 201
    do_login(client, make.user(roles=["admin"], locale="en").email)
    secret = _token_for(client, _service_account(client), scope="read write")
    app.test_client().get("/api/v1/departments/", headers={"Authorization": f"Bearer {secret}"})
    listing = client.get("/admin/tokens/").get_data(as_text=True)
    assert "script của tôi" in listing and person.name in listing
    assert "Read and write" in listing and listing.count("never") == 1  # one was used
    with app.app_context():
        ids = db.session.scalars(select(AuditEvent.entity_id).where(
            AuditEvent.action == "api_token.create")).all()
    token_ids = re.findall(r'/admin/tokens/(\d+)/revoke', listing)
    for token_id in token_ids:
        assert client.post(f"/admin/tokens/{token_id}/revoke").status_code == 302
    assert len(ids) == 2 and "/revoke" not in client.get("/admin/tokens/").get_data(as_text=True)
    answer = app.test_client().get("/api/v1/departments/",
                                   headers={"Authorization": f"Bearer {secret}"})
    assert answer.json["error"]["code"] == "token_revoked"
    # A token may be made only for a service account, never for a person.
    made = client.post("/admin/tokens/", data={"account_id": person.id, "name": "x",
                                               "scope": "read", "days": "30"})
    assert made.status_code == 400


@pytest.mark.one_database
def test_an_administrator_neither_sees_nor_revokes_another_organisations_tokens(app, client,
                                                                                make):
    commune = second_organisation(app)
    with tenancy.acting_for(commune):
        theirs = service_account_with_token(app, make, "Cổng xã")
    with app.app_context(), tenancy.acting_for(commune):
        token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == theirs))
    do_login(client, make.user(roles=["admin"], locale="en").email)
    assert "Cổng xã" not in client.get("/admin/tokens/").get_data(as_text=True)
    assert client.post(f"/admin/tokens/{token_id}/revoke").status_code == 404
    made = client.post("/admin/tokens/", data={"account_id": theirs, "name": "x",
                                               "scope": "read", "days": "30"})
    assert made.status_code == 400  # not among the choices: only the organisation's own


def test_a_service_account_is_never_offered_as_a_person_to_choose(app, make, login):
    """An integration holds roles for its tokens, but owns nothing, audits nothing and is
    asked to read nothing: the pickers offer people only."""
    dept = make.department()
    coordinator = make.user_with_role("coordinator", dept.id)
    account = make.user(name="Phần mềm một cửa", is_service=True, roles=["coordinator",
                                                                          "auditor"],
                        departments=[(dept.id, "department_head")])
    client = app.test_client()
    login(client, coordinator.email)
    for page in ("/documents/new", "/corrective-actions/new", "/audits/new"):
        html = client.get(page).get_data(as_text=True)
        assert coordinator.name in html, page  # the picker is on the page
        assert account.name not in html, page
