"""Re-authentication at the moment of signing: the one seam every signature goes through."""

from __future__ import annotations

import pytest
from flask import jsonify, request
from flask_login import current_user, login_required

from compliance.auth import reauth
from compliance.auth.models import User
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from tests.factories import PASSWORD

ATTEMPT = reauth.Attempt("test.sign", "test", 1)


def test_the_right_password_is_a_password_proof(app, make):
    user = make.user()
    with app.app_context():
        proof = reauth.verify(db.session.get(User, user.id), PASSWORD, attempt=ATTEMPT)
    assert proof == reauth.Proof("password") and proof.method == reauth.BY_PASSWORD


@pytest.mark.parametrize("credential", ["wrong password", "", None])
def test_a_wrong_password_is_refused_with_403_at_the_password_field(app, make, credential):
    user = make.user()
    with app.app_context(), pytest.raises(DomainError) as refused:
        reauth.verify(db.session.get(User, user.id), credential, attempt=ATTEMPT)
    assert refused.value.status == 403 and refused.value.field == "password"
    assert "signature was not recorded" in refused.value.message


def test_the_refusal_names_the_field_the_caller_asks_for(app, make):
    user = make.user()
    with app.app_context(), pytest.raises(DomainError) as refused:
        reauth.verify(db.session.get(User, user.id), "nope", field="signature_password",
                      attempt=ATTEMPT)
    assert refused.value.field == "signature_password"


def test_nobody_signed_in_cannot_sign(app):
    with app.app_context(), pytest.raises(DomainError) as refused:
        reauth.verify(None, PASSWORD, attempt=ATTEMPT)
    assert refused.value.status == 403


def _signing_route(app) -> str:
    """A tiny signing view, as the domains write theirs: rate-limited, then verify()."""

    @login_required
    @reauth.attempt_limit("test.sign", "test")
    def sign():
        proof = reauth.verify(current_user, request.form.get("password"), attempt=ATTEMPT)
        return jsonify(method=proof.method)

    app.add_url_rule("/test-only/sign", "test_only_sign", sign, methods=["POST"])
    return "/test-only/sign"


def test_the_rate_limit_counts_only_refused_attempts(app, client, make, login):
    url = _signing_route(app)
    user = make.user()
    assert login(client, user.email).status_code == 302
    limit = int(app.config["LOGIN_LIMIT_PER_ACCOUNT"].split()[0])
    # Right passwords, however many, never use the allowance up.
    for _ in range(limit + 2):
        answer = client.post(url, data={"password": PASSWORD})
        assert answer.status_code == 200 and answer.get_json() == {"method": "password"}
    for _ in range(limit):
        assert client.post(url, data={"password": "wrong"}).status_code == 403
    # The allowance is spent: even the right password now waits.
    assert client.post(url, data={"password": PASSWORD}).status_code == 429


def test_the_rate_limit_is_per_signer(app, make, login):
    url = _signing_route(app)
    first, second = make.user(), make.user()
    one, other = app.test_client(), app.test_client()
    login(one, first.email)
    login(other, second.email)
    limit = int(app.config["LOGIN_LIMIT_PER_ACCOUNT"].split()[0])
    for _ in range(limit):
        one.post(url, data={"password": "wrong"})
    assert one.post(url, data={"password": PASSWORD}).status_code == 429
    assert other.post(url, data={"password": PASSWORD}).status_code == 200
