"""Signing in through a real OpenLDAP over LDAPS (and StartTLS): the person's own bind
proves the password, which is never stored; groups from the directory map to roles; a
locked directory account is refused; with the directory down the message says so and the
break-glass administrator's local password still works."""

from __future__ import annotations

import pytest

from compliance.auth.service_accounts import UNUSABLE_HASH
from compliance.auth.sso.models import MappingRule
from compliance.core.db import write_intent
from compliance.core.extensions import db
from tests.auth.test_admin_users import events
from tests.sso import directory
from tests.sso.test_oidc import _account, _rule


def _sign_in(client, email: str, password: str = directory.PEOPLE_PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def test_a_directory_person_signs_in_with_the_mapped_roles(ldap_app, client, make):
    app = ldap_app
    department = make.department()
    _rule(app, "cn=TCKH-Heads,ou=groups,dc=example,dc=vn", "department_head", department.id)
    _rule(app, "qms-coordinators", "coordinator")  # the group's cn, in any case
    answer = _sign_in(client, "lan@example.vn")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    found = _account(app, "lan@example.vn")
    assert found["roles"] == {"coordinator"}
    assert found["memberships"] == {(department.id, "department_head")}
    [(provider, subject)] = found["links"]
    assert provider == "ldap" and len(subject) == 36  # the entry's entryUUID
    with app.app_context():
        from compliance.auth.models import User

        assert db.session.get(User, found["id"]).password_hash == UNUSABLE_HASH
    assert events(app, "auth.login")[-1].after["method"] == "ldap"

    # A rule removed applies at the next sign-in.
    with app.app_context(), write_intent():
        db.session.execute(db.delete(MappingRule).where(MappingRule.role == "coordinator"))
        db.session.commit()
    client.post("/logout")
    assert _sign_in(client, "lan@example.vn").status_code == 302
    assert _account(app, "lan@example.vn")["roles"] == set()


# Protocol checks, the same whichever database stores the account.
@pytest.mark.one_database
def test_starttls_wrong_password_and_locked_account(ldap_app, client, ldap_server):
    ldap_app.config.update(LDAP_URL=ldap_server.starttls_url, LDAP_STARTTLS=True)
    assert _sign_in(client, "minh@example.vn").status_code == 302
    client.post("/logout")
    wrong = _sign_in(client, "minh@example.vn", "not the password")
    assert wrong.status_code == 401
    assert events(ldap_app, "auth.login_failed")[-1].after["reason"] == "bad_credentials"
    locked = _sign_in(client, "left@example.vn")
    assert locked.status_code == 403
    assert "disabled or locked" in locked.get_data(as_text=True)
    assert _account(ldap_app, "left@example.vn") is None


# Protocol checks, the same whichever database stores the account.
@pytest.mark.one_database
def test_directory_down_says_so_and_the_break_glass_admin_still_signs_in(ldap_app, client,
                                                                         make):
    admin = make.user(roles=["admin"], email="breakglass@example.test")
    other = make.user(email="local.person@example.test")
    ldap_app.config.update(LDAP_URL="ldaps://127.0.0.1:9", LOCAL_SIGN_IN=False,
                           BREAK_GLASS_ADMINS=(admin.email,))
    down = _sign_in(client, "lan@example.vn")
    assert down.status_code == 503
    assert "cannot be reached right now" in down.get_data(as_text=True)
    assert events(ldap_app, "auth.login_failed")[-1].after["reason"] == "directory_down"
    # Someone else's local password is not asked: the directory would be, and it is down.
    assert _sign_in(client, other.email, "password").status_code == 503
    from tests.factories import PASSWORD

    assert _sign_in(client, admin.email, PASSWORD).status_code == 302
