"""An administrator manages accounts through the pages, as a person would."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from compliance.audit_trail.models import AuditEvent
from compliance.auth.models import User
from compliance.core.extensions import db
from tests.factories import PASSWORD

NEW_PASSWORD = "a fresh long passphrase"


@pytest.fixture
def admin(client, make, login):
    """The test client signed in as an administrator."""
    user = make.user(roles=["admin"], email="admin@example.com", name="Admin")
    assert login(client, user.email).status_code == 302
    return user


def events(app, action_prefix: str = "") -> list[SimpleNamespace]:
    """The trail's events (optionally only some actions), oldest first, JSON decoded."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action.startswith(action_prefix)).order_by(AuditEvent.seq))
        return [SimpleNamespace(action=e.action, entity_id=e.entity_id, actor_id=e.actor_id,
                                before=json.loads(e.before_json or "null"),
                                after=json.loads(e.after_json or "null")) for e in rows]


def stored(app, user_id: int) -> SimpleNamespace:
    """A user as the database holds it now."""
    with app.app_context():
        user = db.session.get(User, user_id)
        return SimpleNamespace(**user.snapshot(), version=user.version,
                               memberships_ids=[m.id for m in user.memberships])


def field_error(page: str, field_id: str) -> str | None:
    """The message rendered under one form field, if any."""
    match = re.search(rf'id="{field_id}"[^>]*>\s*<div class="invalid-feedback[^"]*"[^>]*>([^<]*)<',
                      page)
    return match.group(1).strip() if match else None


def message(response) -> str:
    """The text of an error page or page, for looking a message up."""
    return response.get_data(as_text=True)


def test_admin_creates_a_user_who_can_then_sign_in(app, client, admin, login):
    response = client.post("/admin/users/new", data={
        "email": "  Lan.Nguyen@Example.com ", "name": "Nguyễn Thị Lan", "locale": "vi",
        "roles": ["coordinator", "auditor"], "password": NEW_PASSWORD})
    assert response.status_code == 302
    user_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    user = stored(app, user_id)
    assert (user.email, user.roles, user.active) == (
        "lan.nguyen@example.com", ["auditor", "coordinator"], True)
    [created] = events(app, "user.create")
    assert created.entity_id == str(user_id) and created.actor_id == admin.id
    assert "password" not in json.dumps(created.after) and "hash" not in created.after
    assert login(app.test_client(), "lan.nguyen@example.com", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("change, field, text", [
    ({"email": "TAKEN@example.com"}, "email", "already exists"),
    ({"email": "not-an-address"}, "email", "Invalid email"),
    ({"password": "short 1"}, "password", "at least 10 characters"),
    ({"password": "aaaaaaaaaaaa"}, "password", "too simple"),
    ({"password": ""}, "password", "at least 10 characters"),
])
def test_create_refuses_bad_input_with_a_form_error(app, client, make, admin, change, field,
                                                   text):
    make.user(email="taken@example.com")
    form = {"email": "new@example.com", "name": "Mới", "locale": "vi",
            "password": NEW_PASSWORD, **change}
    response = client.post("/admin/users/new", data=form)
    assert response.status_code == 400
    assert text in (field_error(message(response), field) or "")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
    assert events(app, "user.create") == []


def test_admin_edits_details_and_roles(app, client, make, admin):
    user = make.user(email="thu@example.com", roles=["auditor"])
    page = message(client.get(f"/admin/users/{user.id}/edit"))
    assert 'name="version" type="hidden" value="1"' in page
    response = client.post(f"/admin/users/{user.id}/edit", data={
        "email": "thu.tran@example.com", "name": "Trần Minh Thư", "locale": "vi",
        "roles": ["coordinator"], "version": 1})
    assert response.status_code == 302
    now = stored(app, user.id)
    assert (now.email, now.name, now.locale, now.roles) == (
        "thu.tran@example.com", "Trần Minh Thư", "vi", ["coordinator"])
    [update] = events(app, "user.update")
    assert update.before["roles"] == ["auditor"] and update.after["roles"] == ["coordinator"]


def test_a_stale_edit_is_refused_with_409_and_changes_nothing(app, client, make, admin):
    user = make.user(email="hoa@example.com", name="Hoa")
    form = {"email": "hoa@example.com", "locale": "en", "version": 1}
    assert client.post(f"/admin/users/{user.id}/edit",
                       data={**form, "name": "First edit"}).status_code == 302
    stale = client.post(f"/admin/users/{user.id}/edit", data={**form, "name": "Second edit",
                                                              "roles": ["admin"]})
    assert stale.status_code == 409
    assert "Someone else changed this user" in message(stale)
    now = stored(app, user.id)
    assert (now.name, now.roles, now.version) == ("First edit", [], 2)
    assert len(events(app, "user.update")) == 1


def test_a_role_taken_away_stops_working_on_the_next_request(app, client, make, admin, login):
    user = make.user(email="dung@example.com", roles=["coordinator"])
    theirs = app.test_client()
    login(theirs, user.email)
    assert theirs.get("/processes/new").status_code == 200
    assert client.post(f"/admin/users/{user.id}/edit", data={
        "email": user.email, "name": "Dũng", "locale": "en", "version": 1}).status_code == 302
    assert theirs.get("/processes/new").status_code == 403
    assert theirs.get("/").status_code == 200


def test_edit_to_an_address_already_in_use_is_a_form_error(app, client, make, admin):
    user = make.user(email="one@example.com")
    make.user(email="two@example.com")
    response = client.post(f"/admin/users/{user.id}/edit", data={
        "email": "Two@example.com", "name": "One", "locale": "en", "version": 1})
    assert response.status_code == 409
    assert "already exists" in (field_error(message(response), "email") or "")
    assert stored(app, user.id).email == "one@example.com"


def test_memberships_are_added_and_removed(app, client, make, admin):
    dept, other_dept = make.department(code="TP"), make.department()
    user = make.user(email="an@example.com")
    someone = make.user(departments=[(other_dept.id, "staff")])
    url = f"/admin/users/{user.id}/memberships"
    assert client.post(url, data={"department_id": dept.id,
                                  "role": "department_head"}).status_code == 302
    again = client.post(url, data={"department_id": dept.id, "role": "department_head"})
    assert again.status_code == 409 and "already exists" in message(again)
    assert client.post(url, data={"department_id": 99999, "role": "staff"}).status_code == 400
    assert client.post(url, data={"department_id": dept.id, "role": "admin"}).status_code == 400
    [membership_id] = stored(app, user.id).memberships_ids
    # Another user's membership cannot be removed through this user's address.
    theirs = stored(app, someone.id).memberships_ids[0]
    assert client.post(f"{url}/{theirs}/delete").status_code == 404
    assert client.post(f"{url}/{membership_id}/delete").status_code == 302
    assert stored(app, user.id).memberships == []
    assert stored(app, someone.id).memberships == [f"{other_dept.id}:staff"]
    trail = events(app, "membership.")
    assert [(e.action, e.entity_id) for e in trail] == [
        ("membership.add", str(user.id)), ("membership.remove", str(user.id))]
    assert trail[0].after == {"department": "TP", "role": "department_head"}


def test_deactivation_ends_the_users_sessions_until_reactivated(app, client, make, admin,
                                                                login):
    user = make.user(email="binh@example.com")
    theirs = app.test_client()
    login(theirs, user.email)
    assert theirs.get("/").status_code == 200
    assert client.post(f"/admin/users/{user.id}/deactivate").status_code == 302
    bounced = theirs.get("/")
    assert bounced.status_code == 302 and "/login" in bounced.headers["Location"]
    assert login(app.test_client(), user.email).status_code == 401
    assert client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    # Revoked, not merely hidden while inactive: the old session stays dead.
    assert theirs.get("/").status_code == 302
    assert login(app.test_client(), user.email).status_code == 302
    trail = events(app, "user.")
    assert [e.action for e in trail] == ["user.deactivate", "user.reactivate"]
    assert trail[0].after["sessions_ended"] == 1 and trail[0].after["active"] is False


def test_password_reset_ends_sessions_and_sets_the_new_password(app, client, make, admin,
                                                                login):
    user = make.user(email="cuong@example.com")
    theirs = app.test_client()
    login(theirs, user.email)
    url = f"/admin/users/{user.id}/password"
    refused = client.post(url, data={"password": "short"})
    assert refused.status_code == 400 and "at least 10 characters" in message(refused)
    assert theirs.get("/").status_code == 200
    assert client.post(url, data={"password": NEW_PASSWORD}).status_code == 302
    assert theirs.get("/").status_code == 302
    assert login(app.test_client(), user.email, PASSWORD).status_code == 401
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    [reset] = events(app, "user.password_reset")
    assert reset.entity_id == str(user.id) and reset.after == {"sessions_ended": 1}


def test_admin_cannot_deactivate_themselves(app, client, admin):
    response = client.post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 400
    assert "cannot deactivate your own account" in message(response)
    assert stored(app, admin.id).active is True
    assert client.get("/").status_code == 200
    assert events(app, "user.") == []


def test_admin_cannot_remove_their_own_admin_role(app, client, admin):
    response = client.post(f"/admin/users/{admin.id}/edit", data={
        "email": admin.email, "name": "Admin", "locale": "en", "roles": ["coordinator"],
        "version": 1})
    assert response.status_code == 400
    assert "cannot remove your own administrator role" in message(response)
    assert stored(app, admin.id).roles == ["admin"]
    assert events(app, "user.") == []


def _lang(response) -> str:
    return re.search(r'<html lang="(\w+)"', message(response)).group(1)


def test_a_users_language_choice_sticks_across_sign_out_and_in(app, make, login):
    user = make.user(locale="en")
    client = app.test_client()
    login(client, user.email)
    assert _lang(client.get("/")) == "en"
    assert client.post("/language", data={"locale": "vi", "next": "/"}).status_code == 302
    assert _lang(client.get("/")) == "vi"
    client.post("/logout")
    # A browser that prefers English still gets the language the user chose.
    later = app.test_client()
    later.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(later, user.email)
    assert _lang(later.get("/")) == "vi"
    assert stored(app, user.id).locale == "vi"
    [change] = events(app, "user.locale")
    assert (change.before, change.after) == ({"locale": "en"}, {"locale": "vi"})


def test_an_anonymous_choice_is_kept_in_the_session_only(app, client):
    assert _lang(client.get("/login")) == "vi"
    assert client.post("/language", data={"locale": "en", "next": "/login"}).status_code == 302
    assert _lang(client.get("/login")) == "en"
    assert _lang(client.get("/login")) == "en"
    assert client.post("/language", data={"locale": "fr"}).status_code == 302
    assert _lang(client.get("/login")) == "en"
    assert _lang(app.test_client().get("/login")) == "vi"
    assert events(app) == []
