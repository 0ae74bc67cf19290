"""The built wheel carries everything and the app runs from it in a fresh virtualenv."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import NO_OFFICE_RENDERER

REPO = Path(__file__).resolve().parents[1]
TITLE = re.compile(r"<title>(.*?)</title>", re.S)

pytestmark = pytest.mark.slow
# Run in the new virtualenv: prints each requirement of the installed wheel (extras aside)
# that no installed distribution satisfies.
REQUIREMENTS_MET = """
from importlib.metadata import PackageNotFoundError, requires, version
from packaging.requirements import Requirement
for line in requires("compliance") or []:
    req = Requirement(line)
    if req.marker is not None and not req.marker.evaluate({"extra": ""}):
        continue
    try:
        found = version(req.name)
    except PackageNotFoundError:
        print(req, "missing")
        continue
    if not req.specifier.contains(found, prereleases=True):
        print(req, "found", found)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from the working tree, as a release would be."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(out), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (built,) = out.glob("compliance-*.whl")
    return built


def test_wheel_carries_templates_migrations_static_data_and_translations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "compliance/templates/base.html",
        "compliance/migrations/env.py",
        "compliance/migrations/alembic.ini",
        "compliance/migrations/script.py.mako",
        "compliance/static/app.css",
        "compliance/static/app.js",
        "compliance/org/data/iso9001_2015_clauses.csv",
    }
    expected |= {f"compliance/migrations/versions/{p.name}"
                 for p in (REPO / "migrations" / "versions").glob("*.py")}
    expected |= {"compliance/templates/" + p.relative_to(REPO / "templates").as_posix()
                 for p in (REPO / "templates").rglob("*.html")}
    assert expected - names == set()
    if (REPO / "compliance" / "translations").is_dir():
        assert "compliance/translations/vi/LC_MESSAGES/messages.mo" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, language: str = "vi") -> tuple[int, str]:
    # Only ever the loopback server this module started.
    request = urllib.request.Request(url, headers={"Accept-Language": language})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.read().decode("utf-8")


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 30) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stdout.read()}")
        try:
            return _get(url)
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_installed_wheel_runs_the_app(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    # The wheel alone goes into the new virtualenv; its dependencies are read from the test
    # environment's site-packages, after the new one's own (a path line in a .pth file: that
    # folder's own .pth files, such as the checkout's editable install, are not run). That the
    # declared ranges resolve is shown by the install every run of scripts/test makes from
    # pyproject.toml; here each requirement of the wheel is checked against what is found.
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                          "install", "-q", "--no-deps", "--no-compile", str(wheel)],
                         capture_output=True, text=True, timeout=600)
    assert pip.returncode == 0, pip.stderr
    unmet = subprocess.run([str(venv / "bin" / "python"), "-c", REQUIREMENTS_MET],
                           capture_output=True, text=True, timeout=60)
    assert unmet.returncode == 0 and unmet.stdout.strip() == "", unmet.stdout + unmet.stderr
    # Nothing from the checkout may leak in: run from elsewhere, without PYTHONPATH.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COMPLIANCE_", "PYTHONPATH", "FLASK_"))}
    env["COMPLIANCE_INSTANCE_PATH"] = str(tmp_path / "instance")
    # The demo's two DOCX revisions are kept without PDF renditions (LibreOffice takes
    # 1-3 s each), the way an install without LibreOffice loads it.
    env["COMPLIANCE_OFFICE_RENDERER"] = NO_OFFICE_RENDERER
    compliance = str(venv / "bin" / "compliance")

    def run(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run([compliance, *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    located = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "from compliance.core.resources import resource_dir; "
                              "print(resource_dir('templates'))"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(located.stdout.strip()).is_relative_to(venv)

    listing = run("--help").stdout
    for command in ("create-admin", "seed-demo", "db", "audit-trail", "serve"):
        assert re.search(rf"^\s+{command}\s", listing, re.M), listing
    run("db", "upgrade")
    assert "Demo organisation loaded." in run("seed-demo").stdout
    assert "intact" in run("audit-trail", "verify").stdout

    port = _free_port()
    server = subprocess.Popen([compliance, "serve", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        status, page = _wait_for(f"http://127.0.0.1:{port}/login", server)
        assert status == 200
        assert 'name="email"' in page and 'name="password"' in page
        assert _get(f"http://127.0.0.1:{port}/static/app.css")[0] == 200
        if (REPO / "compliance" / "translations").is_dir():
            # The compiled catalogue is found inside the installed package.
            english = _get(f"http://127.0.0.1:{port}/login", language="en")[1]
            assert TITLE.search(page).group(1) != TITLE.search(english).group(1)
    finally:
        server.terminate()
        server.wait(timeout=10)
