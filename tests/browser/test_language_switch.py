"""A real browser: the demo coordinator switches the interface to English and it stays so."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance import demo
from tests.browser.conftest import follow

pytestmark = pytest.mark.browser

COORDINATOR = demo.email_of("thu.tran")


def _shoot(page, tmp_path: Path, name: str) -> None:
    # Into the test's own folder: a test never changes the checkout (the user guide's
    # screenshots come from scripts/screenshots.py).
    page.screenshot(path=str(tmp_path / name), full_page=True)
    assert (tmp_path / name).stat().st_size > 0


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
    assert page.locator("h1").inner_text() == "Việc của tôi"
    assert page.get_by_role("button", name="Đăng xuất").is_visible()

    follow(page, "[data-testid=lang-en]")
    assert _lang(page) == "en"
    assert page.locator("h1").inner_text() == "My work"
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
    assert page.locator("h1").inner_text() == "My work"
