"""Browser fixtures: the app with the demo organisation served on a free port, and Chromium."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from werkzeug.serving import make_server

from compliance import create_app, demo
from compliance.core.db import write_intent
from compliance.core.extensions import db
from tests.conftest import NO_OFFICE_RENDERER
from tests.page_browser import CHROMIUM, chromium


def _config(instance: Path) -> dict:
    # Cheap argon2 parameters, as for every other test: at production cost each demo user's
    # hash at seeding and each sign-in took a quarter of a second.
    return {"INSTANCE_PATH": str(instance), "SECRET_KEY": "browser-test",
            "PASSWORD_HASH_COST": "test",
            "DATABASE_URL": f"sqlite:///{instance / 'browser.sqlite'}",
            # No LibreOffice run for the demo's two DOCX revisions (1-3 s each), as in every
            # other test app: the flows here use PDFs.
            "OFFICE_RENDERER": NO_OFFICE_RENDERER}


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory) -> Path:
    """An instance folder (SQLite file and stored files) with the demo organisation, seeded
    once per session; each browser test works on a copy of it."""
    instance = tmp_path_factory.mktemp("demo") / "instance"
    app = create_app(_config(instance))
    with app.app_context(), write_intent():
        db.create_all()
        demo.seed()
        db.session.commit()
        # Everything into the main file, so copying the folder copies the database.
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    for leftover in instance.glob("browser.sqlite-*"):
        leftover.unlink()
    return instance


@pytest.fixture
def live_server(tmp_path, demo_instance):
    """The app with the demo organisation on a fresh SQLite file, served on a free port."""
    instance = tmp_path / "instance"
    shutil.copytree(demo_instance, instance)
    app = create_app(_config(instance))
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


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (starting it takes about a second); each test
    gets a context of its own, so no cookie or storage passes from one test to the next."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package "
                    "(scripts/test does this when run as root).")
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser):
    """A Chromium page whose browser asks for Vietnamese, as most of the users' do."""
    # Wide enough that the navigation bar is not folded behind the menu button.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


SUBMIT = "main form input[type=submit]"


def sign_in(page, base: str, local_part: str) -> None:
    """Sign in through the form as a demo user, dropping any earlier session."""
    from compliance import demo

    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("input[name=email]", demo.email_of(local_part))
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    page.click(SUBMIT)
    page.wait_for_url(f"{base}/")


def follow(page, target) -> None:
    """Click a link or submit button (a selector or a locator) and wait for the page it leads
    to: waiting for the load state after the click can return while the old page is shown."""
    element = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation():
        element.click()


def choose(page, name: str, starts_with: str, *, anywhere: bool = False) -> None:
    """Select the option whose label starts with the given text (or holds it: `anywhere`).

    A locator waits until the option is there: right after a navigation the select can be
    parsed before all of its options are."""
    label = re.compile(("" if anywhere else r"^\s*") + re.escape(starts_with))
    option = page.locator(f"select[name={name}] option").filter(has_text=label).first
    page.select_option(f"select[name={name}]", option.get_attribute("value"))
