"""Issue 15: a change made through the API names the token that acted, in the trail's
record (hashed like the rest) and in the history sentence; the chain still verifies."""

from __future__ import annotations

import pytest
from flask import Blueprint
from flask_login import current_user
from sqlalchemy import select

from compliance.api import json_errors
from compliance.audit_trail.models import AuditEvent
from compliance.auth import services, tokens
from compliance.auth.models import User
from compliance.core.extensions import csrf, db
from tests.conftest import do_login


def _probe(app) -> None:
    """An API resource that makes a real audited change (the caller's language): the
    resources of this branch write nothing the trail records."""
    bp = json_errors(Blueprint("api_probe", __name__))

    @bp.post("/probe/locale")
    def locale():
        services.set_locale(current_user, current_user, "en")
        return {"ok": True}

    csrf.exempt(bp)
    app.register_blueprint(bp, url_prefix="/api/v1")
    app.extensions["compliance_api_blueprints"] |= {"api_probe"}


@pytest.mark.one_database
def test_a_write_through_the_api_names_its_token(app, client, make, runner):
    _probe(app)
    person = make.user(roles=["admin"], locale="vi")
    with app.app_context():
        token, secret = tokens.create(db.session.get(User, person.id), "cổng", "read write")
        db.session.commit()
        token_id = token.id
    answer = app.test_client().post("/api/v1/probe/locale",
                                    headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200, answer.json
    with app.app_context():
        label = db.session.scalar(select(AuditEvent.actor_label)
                                  .where(AuditEvent.action == "user.locale"))
    assert label == f"{person.email} via token {token_id} cổng"
    do_login(client, person.email)
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert f"through the API token “cổng” (no. {token_id})" in page
    verified = runner.invoke(args=["audit-trail", "verify"])
    assert verified.exit_code == 0 and "intact" in verified.output
