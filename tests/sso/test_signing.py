"""Signatures re-authenticate the way the signer signed in: through the OpenID Connect
provider (prompt=login, max_age=0, and a fresh auth_time checked), or with a new bind to the
directory; the proof's method and time go with the signature; refusals are in the trail."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import jsonify, request
from flask_login import current_user, login_required

from compliance.auth import reauth
from compliance.core.extensions import db
from compliance.documents.models import Revision
from tests.auth.test_admin_users import events
from tests.documents.helpers import document_target
from tests.sso import directory
from tests.sso.conftest import through_provider
from tests.sso.test_oidc import _person

ATTEMPT = reauth.Attempt("test.sign", "test", 1)


def _signing_route(app) -> str:
    """A signing view as the domains write theirs: rate-limited, then verify()."""

    @login_required
    @reauth.attempt_limit("test.sign", "test")
    def sign():
        proof = reauth.verify(current_user, request.form.get("password"), attempt=ATTEMPT)
        return jsonify(proof.record)

    app.add_url_rule("/test-only/sign", "test_only_sign", sign, methods=["POST"])
    return "/test-only/sign"


def _reauthenticate(client) -> str:
    """Through the provider again before signing; returns where the app sent the browser."""
    to_provider = client.get("/sso/oidc/reauth?next=/test-only/form")
    query = parse_qs(urlsplit(to_provider.location).query)
    assert query["prompt"] == ["login"] and query["max_age"] == ["0"]
    back = requests.get(to_provider.location, allow_redirects=False, timeout=5)
    parts = urlsplit(back.headers["Location"])
    return client.get(f"{parts.path}?{parts.query}").location


def test_an_oidc_signer_signs_after_a_fresh_sign_in_at_the_provider(oidc_app, client, make,
                                                                    oidc_provider):
    url = _signing_route(oidc_app)
    user = make.user()
    oidc_provider.control(_person("kc-signer", user.email))
    client.get(through_provider(client))
    # Without a fresh proof the signature is refused, whatever is typed, and recorded.
    assert client.post(url, data={"password": "provider"}).status_code == 403
    assert events(oidc_app, "auth.reauth_failed")[-1].after["reason"] == "not_fresh"

    assert _reauthenticate(client).endswith("/test-only/form")
    signed = client.post(url, data={"password": "provider"})
    assert signed.status_code == 200 and signed.get_json()["method"] == "oidc"
    assert signed.get_json()["reauthenticated_at"]
    # One proof, one signature.
    assert client.post(url, data={"password": "provider"}).status_code == 403

    # A provider that does not make the person sign in again (an old auth_time) is refused.
    oidc_provider.control(_person("kc-signer", user.email), mode="old_auth_time")
    _reauthenticate(client)
    assert events(oidc_app, "auth.reauth_failed")[-1].after["reason"] == "not_fresh"
    assert client.post(url, data={"password": "provider"}).status_code == 403


# Protocol checks, the same whichever database stores the account.
@pytest.mark.one_database
def test_a_directory_signer_binds_again(ldap_app, client):
    url = _signing_route(ldap_app)
    assert client.post("/login", data={"email": "minh@example.vn",
                                       "password": directory.PEOPLE_PASSWORD}).status_code == 302
    signed = client.post(url, data={"password": directory.PEOPLE_PASSWORD})
    assert signed.status_code == 200 and signed.get_json()["method"] == "ldap"
    assert client.post(url, data={"password": "not it"}).status_code == 403
    refusal = events(ldap_app, "auth.reauth_failed")[-1]
    assert refusal.after["reason"] == "wrong_password"
    assert refusal.after["attempt"] == "test.sign"
    # The directory down: the signature waits, and the trail says why.
    ldap_app.config["LDAP_URL"] = "ldaps://127.0.0.1:9"
    assert client.post(url, data={"password": directory.PEOPLE_PASSWORD}).status_code == 503
    assert events(ldap_app, "auth.reauth_failed")[-1].after["reason"] == "directory_down"


def test_a_document_signed_through_the_provider_records_how(oidc_app, client, make,
                                                           oidc_provider):
    department = make.department()
    author = make.user(departments=[(department.id, "department_head")])
    signer = make.user(roles=["coordinator"])
    ids = document_target(oidc_app, department.id, author.id, "in_review")
    oidc_provider.control(_person("kc-coordinator", signer.email))
    client.get(through_provider(client))
    url = f"/documents/{ids.document_id}/revisions/{ids.revision_id}/sign"
    page = client.get(url).get_data(as_text=True)
    assert "Confirm who you are with Keycloak" in page
    assert 'name="password" value="provider"' in page  # no password to type
    to_provider = client.get(f"/sso/oidc/reauth?next={url}")
    back = requests.get(to_provider.location, allow_redirects=False, timeout=5)
    parts = urlsplit(back.headers["Location"])
    assert client.get(f"{parts.path}?{parts.query}").location.endswith(url)
    assert "sign within five minutes" in client.get(url).get_data(as_text=True)
    signed = client.post(url, data={"meaning": "approved", "password": "provider"})
    assert signed.status_code == 302, signed.get_data(as_text=True)
    event = events(oidc_app, "revision.sign")[-1]
    assert event.after["method"] == "oidc" and event.after["reauthenticated_at"]
    with oidc_app.app_context():
        assert db.session.get(Revision, ids.revision_id).status != "in_review"
