"""The TOTP second factor of local accounts: enrolment by a QR code drawn by the app,
recovery codes shown once and kept hashed, the code asked after the password at sign-in and
at signing, required by role; and local sign-in switched off except the break-glass admin."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask import jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import select

from compliance.auth import reauth
from compliance.auth.models import RecoveryCode
from compliance.config import DEFAULTS, from_environment
from compliance.core import clock as core_clock
from compliance.core.extensions import db
from tests.auth.test_admin_users import events
from tests.factories import PASSWORD


def _code(secret: str) -> str:
    """The app's code half a minute on: each code is good once, so every use waits for the
    next one, as a person would."""
    core_clock.advance(seconds=30)
    return pyotp.TOTP(secret).at(core_clock.utcnow())


def _enrol(client) -> tuple[str, list[str]]:
    page = client.get("/account/second-factor")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html  # the QR code, drawn here
    secret = re.search(r'<code translate="no">([A-Z2-7]+)</code>', html).group(1)
    assert client.post("/account/second-factor", data={"code": "000000"}).status_code == 400
    done = client.post("/account/second-factor", data={"code": _code(secret)})
    assert done.status_code == 201
    codes = re.findall(r'<li translate="no">([0-9a-f]{6}-[0-9a-f]{6})</li>',
                       done.get_data(as_text=True))
    return secret, codes


def _sign_ins(app):
    return [e for e in events(app, "auth.login") if e.action == "auth.login"]


def test_enrol_then_sign_in_with_the_code_or_a_recovery_code(app, client, make, login):
    user = make.user()
    login(client, user.email)
    secret, codes = _enrol(client)
    assert len(codes) == 10
    with app.app_context():
        kept = set(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(kept) == 10 and not kept & set(codes)  # hashes only
    client.post("/logout")

    held = login(client, user.email)
    assert held.location.endswith("/login/code")
    assert client.get("/").status_code == 302  # not signed in yet
    # The password alone is not a sign-in: only the one before enrolling is recorded.
    assert [e.after["method"] for e in _sign_ins(app)] == ["password"]
    assert client.post("/login/code", data={"code": "123456"}).status_code == 401
    failed = events(app, "auth.login_failed")[-1]
    assert (failed.after["reason"], failed.after["method"]) == ("wrong_code", "password+totp")
    assert len(_sign_ins(app)) == 1
    used = _code(secret)
    assert client.post("/login/code", data={"code": used}).status_code == 302
    assert client.get("/").status_code == 200
    assert [e.after["method"] for e in _sign_ins(app)] == ["password", "password+totp"]
    client.post("/logout")
    # The same code again (a replay, within its half minute) is refused.
    login(client, user.email)
    assert client.post("/login/code", data={"code": used}).status_code == 401

    assert client.post("/login/code", data={"code": codes[0]}).status_code == 302
    client.post("/logout")
    login(client, user.email)
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 401  # used


def test_a_signature_asks_for_the_code_too(app, client, make, login):
    @login_required
    @reauth.attempt_limit("test.sign2", "test")
    def sign():
        proof = reauth.verify(current_user, request.form.get("password"),
                              attempt=reauth.Attempt("test.sign2", "test", 1))
        return jsonify(proof.record)

    app.add_url_rule("/test-only/sign2", "test_only_sign2", sign, methods=["POST"])
    user = make.user()
    login(client, user.email)
    secret, _codes = _enrol(client)
    assert client.post("/test-only/sign2", data={"password": PASSWORD}).status_code == 403
    assert events(app, "auth.reauth_failed")[-1].after["reason"] == "wrong_code"
    signed = client.post("/test-only/sign2", data={"password": PASSWORD,
                                                   "totp_code": _code(secret)})
    assert signed.status_code == 200 and signed.get_json()["method"] == "password+totp"


@pytest.mark.one_database
def test_required_when_enabled_for_administrators_and_coordinators_by_default():
    assert DEFAULTS["TOTP_REQUIRED"] is False
    found = from_environment({"COMPLIANCE_TOTP_REQUIRED": "true"})
    assert found == {"TOTP_REQUIRED": True}
    assert DEFAULTS["TOTP_REQUIRED_ROLES"] == ("admin", "coordinator")
    assert from_environment({"COMPLIANCE_TOTP_REQUIRED_ROLES": "admin, auditor"}) == {
        "TOTP_REQUIRED_ROLES": ("admin", "auditor")}


def test_a_role_that_requires_it_enrols_before_anything_else(app, client, make, login):
    coordinator = make.user(roles=["coordinator"])
    login(client, coordinator.email)
    assert client.get("/").status_code == 200  # not enabled: voluntary
    client.post("/logout")
    app.config["TOTP_REQUIRED"] = True  # with the default roles: admin, coordinator
    admin = make.user(roles=["admin"])
    login(client, admin.email)
    assert client.get("/").location.endswith("/account/second-factor")
    _enrol(client)
    assert client.get("/").status_code == 200
    # Required: it cannot be switched off.
    assert client.post("/account/second-factor/off",
                       data={"password": PASSWORD}).status_code == 409


def test_local_sign_in_switched_off_except_the_break_glass_admin(app, client, make, login):
    admin, person = make.user(roles=["admin"]), make.user()
    app.config.update(LOCAL_SIGN_IN=False, BREAK_GLASS_ADMINS=(admin.email.upper(),))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    refused = login(client, person.email)
    assert refused.status_code == 401
    assert "switched off" in refused.get_data(as_text=True)
    assert login(client, admin.email).status_code == 302


def test_switching_it_off_asks_for_the_password_and_a_code(app, client, make, login):
    user = make.user()
    login(client, user.email)
    secret, _codes = _enrol(client)
    assert client.post("/account/second-factor/off",
                       data={"password": PASSWORD}).status_code == 403
    off = client.post("/account/second-factor/off",
                      data={"password": PASSWORD, "totp_code": _code(secret)})
    assert off.status_code == 302
    assert events(app, "user.totp_disable")


def test_an_administrator_removes_a_lost_second_factor(app, client, make, login):
    person, admin = make.user(), make.user(roles=["admin"])
    login(client, person.email)
    _enrol(client)
    client.post("/logout")
    login(client, admin.email)
    assert "Remove the second factor" in client.get(f"/admin/users/{person.id}").get_data(
        as_text=True)
    assert client.post(f"/admin/users/{person.id}/second-factor/reset").status_code == 302
    assert events(app, "user.totp_reset")
    client.post("/logout")
    assert login(client, person.email).location.endswith("/")  # the password alone again


def test_wrong_codes_are_limited_per_account(app, client, make, login):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"
    user = make.user()
    login(client, user.email)
    secret, _codes = _enrol(client)
    client.post("/logout")
    login(client, user.email)
    for _ in range(2):
        assert client.post("/login/code", data={"code": "000000"}).status_code == 401
    # The allowance is spent: even the right code waits.
    assert client.post("/login/code", data={"code": _code(secret)}).status_code == 429
