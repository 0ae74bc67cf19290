"""Signing in and out, as a person does it through the form."""

from __future__ import annotations

import re

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db


def _page_without_token(response) -> str:
    # The CSRF token is signed with a timestamp, so it differs between any two pages.
    return re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))


def test_login_then_home_shows_name(client, make, login):
    user = make.user(name="Trần Minh Thư")
    response = login(client, user.email)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Trần Minh Thư" in page


def test_unknown_user_and_wrong_password_get_identical_answers(client, make, login):
    user = make.user()
    wrong = login(client, user.email, "not the password at all")
    unknown = login(client, "nobody@example.test", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert _page_without_token(wrong) == _page_without_token(unknown)


def test_failed_and_successful_logins_are_in_the_trail(app, client, make, login):
    user = make.user()
    login(client, user.email, "wrong password 123")
    login(client, user.email)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["auth.login_failed", "auth.login"]


def test_logout_revokes_a_captured_cookie(app, make, login):
    user = make.user()
    client = app.test_client()
    login(client, user.email)
    cookie = client.get_cookie("compliance_session").value
    assert client.get("/").status_code == 200
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("compliance_session", cookie)
    response = thief.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_session_is_rotated_on_login(app, make, login):
    user = make.user()
    client = app.test_client()
    client.post("/language", data={"locale": "en"})
    before = client.get_cookie("compliance_session").value
    login(client, user.email)
    after = client.get_cookie("compliance_session").value
    assert before != after
    planted = app.test_client()
    planted.set_cookie("compliance_session", before)
    assert planted.get("/").status_code == 302


def test_inactive_user_cannot_sign_in(client, make, login):
    user = make.user(active=False)
    assert login(client, user.email).status_code == 401


def test_login_is_rate_limited_per_account(client, make, login):
    user = make.user()
    for _ in range(5):
        assert login(client, user.email, "wrong password 123").status_code == 401
    blocked = login(client, user.email)
    assert blocked.status_code == 429
    # An anonymous visitor gets the default language, Vietnamese.
    assert "Bạn đã thử quá nhiều lần" in blocked.get_data(as_text=True)


def test_login_is_rate_limited_per_address(app, client, make, login):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    for n in range(3):
        login(client, f"someone{n}@example.test", "wrong password 123")
    assert login(client, "fresh@example.test", "wrong password 123").status_code == 429


def test_next_parameter_cannot_leave_the_site(client, make):
    user = make.user()
    response = client.post("/login?next=https://evil.example/", data={
        "email": user.email, "password": "correct horse battery"})
    assert response.headers["Location"] == "/"
