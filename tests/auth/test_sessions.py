"""Session records: other sessions end with a password change; proxies are trusted as told."""

from __future__ import annotations

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from tests.conftest import make_app
from tests.factories import PASSWORD

NEW = "a brand new passphrase 2026"


def test_changing_my_password_ends_my_other_sessions_only(app, make, login):
    user = make.user()
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user.email)
    login(elsewhere, user.email)
    response = here.post("/account", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302


def test_failed_sign_in_for_an_unknown_address_is_not_attributed_to_the_system(
        app, client, login):
    login(client, "nobody@example.test", "whatever it is 123")
    with app.app_context():
        event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.actor_label) == ("auth.login_failed", "anonymous")


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(tmp_path):
    app = make_app("sqlite", tmp_path, PROXY_COUNT=1)
    from tests.conftest import Maker

    user = Maker(app).user()
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD},
                headers={"X-Forwarded-For": "203.0.113.7"})
    with app.app_context():
        event = db.session.scalars(select(AuditEvent)).one()
    assert '"ip":"203.0.113.7"' in event.after_json
