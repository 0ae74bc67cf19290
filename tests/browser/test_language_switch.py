"""A real browser: the demo coordinator switches the interface to English and it stays so."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from compliance import create_app, demo
from compliance.db import write_intent
from compliance.extensions import db

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
COORDINATOR = demo.email_of("thu.tran")


@pytest.fixture
def live_server(tmp_path):
    """The app with the demo organisation on a fresh SQLite file, served on a free port."""
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "browser-test",
                      "DATABASE_URL": f"sqlite:///{instance / 'browser.sqlite'}"})
    with app.app_context(), write_intent():
        db.create_all()
        demo.seed()
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


@pytest.fixture
def page():
    """A Chromium page whose browser asks for Vietnamese, as most of the users' do."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package "
                    "(scripts/test does this when run as root).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            # Wide enough that the navigation bar is not folded behind the menu button.
            context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def _shoot(page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=True)
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, DOCS_IMG / name)  # the user guide shows these


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", COORDINATOR)
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    page.click("form input[type=submit], form button[type=submit]:not([name=locale])")
    page.wait_for_url(f"{base}/")


def _lang(page) -> str:
    return page.get_attribute("html", "lang")


def test_coordinator_switches_to_english_and_it_sticks(live_server, page, tmp_path):
    page.goto(f"{live_server}/login")
    assert _lang(page) == "vi"
    assert page.locator("h1").inner_text() == "Đăng nhập"
    _shoot(page, tmp_path, "login-vi.png")

    _sign_in(page, live_server)
    assert _lang(page) == "vi"
    assert page.locator("h1").inner_text() == "Xin chào, Trần Minh Thư"
    assert page.get_by_role("button", name="Đăng xuất").is_visible()

    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert _lang(page) == "en"
    assert page.locator("h1").inner_text() == "Welcome, Trần Minh Thư"
    assert page.get_by_role("link", name="Home", exact=True).is_visible()
    _shoot(page, tmp_path, "home-en.png")

    page.reload()
    assert _lang(page) == "en"
    assert page.get_by_role("button", name="Sign out").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/login")
    # Signed out, the browser's own preference (Vietnamese) applies again...
    assert _lang(page) == "vi"
    # ...and signing back in brings the coordinator's choice back.
    _sign_in(page, live_server)
    assert _lang(page) == "en"
    assert page.locator("h1").inner_text() == "Welcome, Trần Minh Thư"
