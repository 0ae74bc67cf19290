"""A real browser through a real OpenID Connect provider (tests/sso/provider.py): "Sign in
with <provider>", the group mapped to a role, and signing out at the provider too."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from compliance import create_app, demo
from compliance.auth.sso.models import MappingRule
from compliance.core.db import write_intent
from compliance.core.extensions import db
from tests.browser.conftest import _config, follow
from tests.sso import provider as provider_module
from tests.sso.conftest import oidc_provider  # noqa: F401 - the session's provider fixture

pytestmark = pytest.mark.browser


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
        db.session.add(MappingRule(group="qms-auditors", role="auditor", organisation_id=1))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


def test_sign_in_with_the_provider_maps_the_group_and_signs_out_there(sso_server, page,
                                                                     oidc_provider):  # noqa: F811
    email = demo.email_of("thu.tran")
    oidc_provider.control({"sub": "kc-thu", "email": email, "name": "Trần Thị Thu",
                           "groups": ["QMS-Auditors"]})
    page.goto(f"{sso_server}/login")
    follow(page, page.get_by_role("link", name="Đăng nhập bằng Keycloak UBND"))
    page.wait_for_url(f"{sso_server}/")
    # The rules decide the roles: the demo coordinator is now an auditor only.
    page.goto(f"{sso_server}/account")
    assert "Chuyên gia đánh giá" in page.locator("main").inner_text()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{sso_server}/login")
    ended = [entry for entry in oidc_provider.log() if entry["endpoint"] == "logout"]
    assert ended and ended[-1]["post_logout_redirect_uri"] == f"{sso_server}/login"
