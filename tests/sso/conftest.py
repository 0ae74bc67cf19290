"""The test OpenID Connect provider (tests/sso/provider.py), started once per test session
in its own process on 127.0.0.1, and an app configured to sign in through it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import requests

from tests.sso import directory
from tests.sso import provider as provider_module

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider process: its issuer URL and a way to say whom it signs in next."""
    process = subprocess.Popen([sys.executable, "-m", "tests.sso.provider"], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    port = int(process.stdout.readline())
    issuer = f"http://127.0.0.1:{port}"

    def control(user: dict, mode: str = "") -> None:
        requests.post(issuer + "/_control", json={"user": user, "mode": mode},
                      timeout=5).raise_for_status()

    def log() -> list:
        return requests.get(issuer + "/_control/log", timeout=5).json()

    yield SimpleNamespace(issuer=issuer, control=control, log=log)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def oidc_app(app, oidc_provider):
    """The app with single sign-on through the test provider."""
    app.config.update(OIDC_ISSUER=oidc_provider.issuer, OIDC_CLIENT_ID=provider_module.CLIENT_ID,
                      OIDC_CLIENT_SECRET=provider_module.CLIENT_SECRET,
                      OIDC_PROVIDER_NAME="Keycloak")
    return app


def through_provider(client, start: str = "/sso/oidc/start") -> str:
    """Follow the sign-in round trip: the app sends the browser to the provider, the provider
    answers with a code; returns the app's callback path and query (not yet requested)."""
    to_provider = client.get(start)
    assert to_provider.status_code == 302, to_provider.get_data(as_text=True)
    back = requests.get(to_provider.location, allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    parts = urlsplit(back.headers["Location"])
    return f"{parts.path}?{parts.query}"


@pytest.fixture(scope="session")
def ldap_server(tmp_path_factory):
    """OpenLDAP, seeded with the demo people and groups, serving LDAPS (and StartTLS)."""
    server = directory.start(tmp_path_factory.mktemp("slapd"))
    yield server
    server.stop()


@pytest.fixture
def ldap_app(app, ldap_server):
    """The app signing people in through the directory, creating their accounts."""
    app.config.update(
        LDAP_URL=ldap_server.url, LDAP_CA_FILE=ldap_server.ca_file,
        LDAP_BIND_DN=directory.SERVICE_DN, LDAP_BIND_PASSWORD=directory.SERVICE_PASSWORD,
        LDAP_USER_BASE=f"ou=people,{directory.SUFFIX}",
        LDAP_GROUP_BASE=f"ou=groups,{directory.SUFFIX}", SSO_CREATE_ACCOUNTS=True)
    return app


@pytest.fixture
def client(app):
    """A browser-like client asking for English, so messages read as written here."""
    found = app.test_client()
    found.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return found
