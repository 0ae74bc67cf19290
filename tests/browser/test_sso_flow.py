"""A real browser through a real OpenID Connect provider (tests/sso/provider.py): "Sign in
with <provider>", the groups mapped to roles, a document signed after signing in again at
the provider (prompt=login, a fresh auth_time), and signing out at the provider too."""

from __future__ import annotations

import re
import shutil
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from compliance import create_app, demo
from compliance.audit_trail.services import last_recorded
from compliance.auth.models import User
from compliance.auth.sso.models import MappingRule
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.org.models import Department
from tests.browser.conftest import _config, follow
from tests.documents.helpers import document_target
from tests.sso import provider as provider_module
from tests.sso.conftest import oidc_provider  # noqa: F401 - the session's provider fixture

pytestmark = pytest.mark.browser


def _in_review(app) -> tuple[str, int]:
    """A TCKH procedure by its head, in review: its signing page and the document."""
    with app.app_context():
        department = db.session.scalar(select(Department).where(Department.code == "TCKH"))
        author = db.session.scalar(select(User).where(User.email == demo.email_of("phuc.le")))
        ids = document_target(app, department.id, author.id, "in_review")
    return f"/documents/{ids.document_id}/revisions/{ids.revision_id}/sign", ids.document_id


@pytest.fixture
def sso_server(tmp_path, demo_instance, oidc_provider):  # noqa: F811 - the fixture above
    """The demo organisation served with single sign-on through the test provider."""
    instance = tmp_path / "instance"
    shutil.copytree(demo_instance, instance)
    app = create_app({**_config(instance), "OIDC_ISSUER": oidc_provider.issuer,
                      "OIDC_CLIENT_ID": provider_module.CLIENT_ID,
                      "OIDC_CLIENT_SECRET": provider_module.CLIENT_SECRET,
                      "OIDC_PROVIDER_NAME": "Keycloak UBND"})
    with app.app_context(), write_intent():
        db.session.add(MappingRule(group="qms-coordinators", role="coordinator",
                                   organisation_id=1))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


def test_sign_in_map_sign_again_and_sign_out_through_the_provider(sso_server, page,
                                                                  oidc_provider):  # noqa: F811
    app, base = sso_server
    sign_url, document_id = _in_review(app)
    oidc_provider.control({"sub": "kc-thu", "email": demo.email_of("thu.tran"),
                           "email_verified": True,
                           "name": "Trần Minh Thư", "groups": ["QMS-Coordinators"]})
    page.goto(f"{base}/login")
    follow(page, page.get_by_role("link", name="Đăng nhập bằng Keycloak UBND"))
    page.wait_for_url(f"{base}/")
    # The rules decide the roles: the group gives the ISO coordinator's role, and only it.
    page.goto(f"{base}/account")
    assert "Thư ký ISO" in page.locator("main dl").inner_text()

    page.goto(base + sign_url)
    # The first of the page's two (signing, rejecting): either proves who signs next.
    follow(page, page.get_by_role("link", name="Xác minh danh tính qua Keycloak UBND").first)
    page.wait_for_url(re.compile(re.escape(sign_url) + "$"))
    assert "hãy ký trong vòng năm phút" in page.locator("main").inner_text()
    page.check("input[name=meaning][value=approved]")
    follow(page, "form:has(input[name=meaning]) input[type=submit]")
    asked = [e for e in oidc_provider.log() if e["endpoint"] == "authorize"][-1]
    assert (asked["prompt"], asked["max_age"]) == ("login", "0")
    with app.app_context():
        signed = last_recorded("document", document_id, "revision.sign.approved")
    assert signed["method"] == "oidc" and signed["reauthenticated_at"]

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{base}/login")
    ended = [entry for entry in oidc_provider.log() if entry["endpoint"] == "logout"]
    assert ended and ended[-1]["post_logout_redirect_uri"] == f"{base}/login"
