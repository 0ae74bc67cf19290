"""Signing in through a real OpenID Connect provider (tests/sso/provider.py): the code flow
with PKCE, the account linked by subject id, the mapping rules applied at each sign-in, a
first sign-in refused or creating the account, the provider's sign-out; and the refusals:
wrong state, replayed code, bad signature, wrong audience, expired token."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from compliance.auth.models import User
from compliance.auth.sso.models import IdentityLink, MappingRule
from compliance.core.db import write_intent
from compliance.core.extensions import db
from tests.auth.test_admin_users import events
from tests.sso import provider as provider_module
from tests.sso.conftest import through_provider


def _person(sub: str, email: str, groups=(), verified: bool = True) -> dict:
    return {"sub": sub, "email": email, "email_verified": verified, "name": "Trần Thị Hoa",
            "groups": list(groups)}


def _rule(app, group: str, role: str, department_id: int | None = None) -> None:
    with app.app_context(), write_intent():
        db.session.add(MappingRule(group=group, role=role, department_id=department_id,
                                   organisation_id=1))
        db.session.commit()


def _account(app, email: str):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            return None
        return {"roles": user.global_roles, "memberships": {
            (m.department_id, m.role) for m in user.memberships}, "id": user.id,
            "links": [(link.provider, link.subject) for link in db.session.scalars(
                select(IdentityLink).where(IdentityLink.user_id == user.id))]}


def test_sign_in_links_by_subject_and_maps_groups_at_each_sign_in(oidc_app, client, make,
                                                                  oidc_provider):
    app = oidc_app
    department = make.department()
    user = make.user(roles=["auditor"])
    _rule(app, "CN=TCKH-Heads,OU=Groups,DC=example,DC=vn", "department_head", department.id)
    _rule(app, "qms-coordinators", "coordinator")
    login_page = client.get("/login").get_data(as_text=True)
    assert "Sign in with Keycloak" in login_page
    oidc_provider.control(_person("kc-0001", user.email,
                                  ["cn=tckh-heads,ou=groups,dc=example,dc=vn"]))
    signed_in = client.get(through_provider(client))
    assert signed_in.status_code == 302 and signed_in.location.endswith("/")
    found = _account(app, user.email)
    assert found["links"] == [("oidc", "kc-0001")]
    # The rules decide: the auditor role no rule gives is gone, the head membership came.
    assert found["roles"] == set() and found["memberships"] == {(department.id, "department_head")}
    assert events(app, "auth.login")[-1].after["method"] == "oidc"
    mapped = events(app, "user.sso_mapping")[-1]
    assert mapped.before["roles"] == ["auditor"] and mapped.after["provider"] == "oidc"

    # Another address at the provider, same subject: the same account; new groups apply.
    client.post("/logout")
    oidc_provider.control(_person("kc-0001", "hoa.moved@example.test", ["QMS-Coordinators"]))
    assert client.get(through_provider(client)).status_code == 302
    again = _account(app, user.email)
    assert again["roles"] == {"coordinator"} and again["memberships"] == set()


def test_first_sign_in_is_refused_naming_the_administrator_or_creates_the_account(
        oidc_app, client, make, oidc_provider, tmp_path):
    app = oidc_app
    # The client secret from a file (a container secret) instead of the variable.
    (tmp_path / "oidc-secret").write_text(provider_module.CLIENT_SECRET + "\n")
    app.config.update(OIDC_CLIENT_SECRET="", OIDC_CLIENT_SECRET_FILE=str(tmp_path / "oidc-secret"))
    make.user(roles=["admin"], name="Quản trị Viên", email="qtv@example.test")
    oidc_provider.control(_person("kc-new", "new.person@example.test"))
    refused = client.get(through_provider(client))
    assert refused.status_code == 403
    assert "Ask Quản trị Viên &lt;qtv@example.test&gt; to create it" in refused.get_data(
        as_text=True)
    assert _account(app, "new.person@example.test") is None
    assert events(app, "auth.login_failed")[-1].after["reason"] == "no_account"

    app.config["SSO_CREATE_ACCOUNTS"] = True
    _rule(app, "auditors", "auditor")
    oidc_provider.control(_person("kc-new", "new.person@example.test", ["auditors"]))
    assert client.get(through_provider(client)).status_code == 302
    created = _account(app, "new.person@example.test")
    assert created["roles"] == {"auditor"} and created["links"] == [("oidc", "kc-new")]
    # No password signs the new account in.
    assert client.post("/logout").status_code == 200  # on to the provider's sign-out
    assert client.post("/login", data={"email": "new.person@example.test",
                                       "password": "!service-account"}).status_code == 401


# Protocol checks, the same whichever database stores the account.
@pytest.mark.one_database
def test_sign_out_ends_the_session_at_the_provider_too(oidc_app, client, make, oidc_provider):
    user = make.user()
    oidc_provider.control(_person("kc-out", user.email))
    client.get(through_provider(client))
    # No password of this application to change.
    assert "change your password there" in client.get("/account").get_data(as_text=True)
    out = client.post("/logout")
    assert out.status_code == 200  # a page that goes on, not a redirect (form-action 'self')
    target = re.search(r'url=([^"]+)"', out.get_data(as_text=True)).group(1)
    parts = urlsplit(html.unescape(target))
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == oidc_provider.issuer + "/logout"
    query = parse_qs(parts.query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/login"]
    assert query["id_token_hint"][0].count(".") == 2
    assert client.get("/").status_code == 302  # signed out here


def _refused_reason(app, client) -> str:
    assert client.get("/").status_code == 302  # not signed in
    return events(app, "auth.login_failed")[-1].after["reason"]


# Protocol checks, the same whichever database stores the account.
@pytest.mark.one_database
@pytest.mark.parametrize(("mode", "reason"), [
    ("bad_signature", "bad_signature"), ("wrong_audience", "invalid_claim"),
    ("expired", "expired_token")])
def test_a_token_that_does_not_hold_is_refused(oidc_app, client, make, oidc_provider, mode,
                                               reason):
    user = make.user()
    oidc_provider.control(_person("kc-bad", user.email), mode=mode)
    answer = client.get(through_provider(client))
    assert answer.status_code == 302 and answer.location.endswith("/login")
    assert "was not accepted" in client.get("/login").get_data(as_text=True)
    assert reason in _refused_reason(oidc_app, client)
    assert _account(oidc_app, user.email)["links"] == []


# Protocol checks, the same whichever database stores the account.
@pytest.mark.one_database
def test_a_wrong_state_and_a_replayed_code_are_refused(oidc_app, client, make, oidc_provider):
    user = make.user()
    oidc_provider.control(_person("kc-state", user.email))
    callback = through_provider(client)
    forged = callback.replace("state=", "state=forged")
    assert client.get(forged).location.endswith("/login")
    assert _refused_reason(oidc_app, client) == "mismatching_state"

    used = through_provider(client)
    assert client.get(used).status_code == 302
    client.post("/logout")
    # The same code again, with a state this browser really has: the provider refuses it.
    fresh = parse_qs(urlsplit(through_provider(client)).query)["state"][0]
    code = parse_qs(urlsplit(used).query)["code"][0]
    replay = client.get(f"/sso/oidc/callback?code={code}&state={fresh}")
    assert replay.location.endswith("/login")
    assert _refused_reason(oidc_app, client) == "invalid_grant"


@pytest.mark.one_database
def test_an_unverified_address_never_finds_an_account(oidc_app, client, make, oidc_provider):
    admin = make.user(roles=["admin"])
    oidc_provider.control(_person("kc-impostor", admin.email, verified=False))
    assert client.get(through_provider(client)).status_code == 403
    assert _account(oidc_app, admin.email)["links"] == []
    assert events(oidc_app, "auth.login_failed")[-1].after["reason"] == "email_unverified"
