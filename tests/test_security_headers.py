"""What every answer says about the server and asks of the browser: no Server banner with
versions, HSTS when cookies are secure, a Permissions-Policy that denies powerful features
(issue 12, item 8)."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from compliance.console import make_cli
from tests.conftest import make_app, sqlite_template

REPO = Path(__file__).resolve().parents[1]
DENIED = ("camera", "microphone", "geolocation", "payment", "usb", "display-capture")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _head(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _wait_for(port: int, server: subprocess.Popen, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stdout.read()}")
        try:
            return _head(port, "/login")
        except (ConnectionError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _assert_policy(headers) -> None:
    policy = {part.split("=")[0].strip(): part.split("=")[1].strip()
              for part in headers["Permissions-Policy"].split(",")}
    for feature in DENIED:
        assert policy[feature] == "()", (feature, headers["Permissions-Policy"])


def test_the_served_app_names_no_versions_and_sends_hsts_with_secure_cookies(tmp_path):
    """The real `compliance serve` process that ./scripts/run starts, on a free port."""
    database = tmp_path / "served.sqlite"
    shutil.copyfile(sqlite_template(), database)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLIANCE_")}
    env.update(COMPLIANCE_INSTANCE_PATH=str(tmp_path / "instance"),
               COMPLIANCE_DATABASE_URL=f"sqlite:///{database}",
               COMPLIANCE_SECRET_KEY="served-test", COMPLIANCE_SECURE_COOKIES="true",
               COMPLIANCE_LOG_LEVEL="WARNING")
    port = _free_port()
    # This checkout's package (cwd first on sys.path), started as the console script does.
    server = subprocess.Popen(
        [sys.executable, "-c", "from compliance.console import main; main()", "serve",
         "--host", "127.0.0.1", "--port", str(port), "--no-scheduler"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = _wait_for(port, server)
        responses = [page, _head(port, "/static/app.css"), _head(port, "/no/such/page")]
        assert [r.status for r in responses] == [200, 200, 404]
        for response in responses:
            banner = response.getheader("Server") or ""
            assert "werkzeug" not in banner.lower() and "python" not in banner.lower(), banner
            assert not any(ch.isdigit() for ch in banner), banner
            assert response.getheader("Strict-Transport-Security") == "max-age=31536000"
            _assert_policy(response.headers)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_no_hsts_over_plain_http_and_the_policy_on_every_kind_of_answer(client, as_role):
    for path in ("/login", "/nowhere", "/api/v1/nothing", "/static/app.css"):
        response = client.get(path)
        assert "Strict-Transport-Security" not in response.headers, path
        _assert_policy(response.headers)
    as_role("staff")
    response = client.get("/")
    assert response.status_code == 200
    _assert_policy(response.headers)


def test_secure_cookies_bring_hsts_to_pages_and_errors(tmp_path):
    client = make_app("sqlite", tmp_path, SECURE_COOKIES=True).test_client()
    for path in ("/login", "/nowhere", "/api/v1/nothing"):
        assert client.get(path).headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_console_offers_no_development_server():
    commands = make_cli().commands
    assert "run" not in commands and {"shell", "routes"} <= set(commands)
