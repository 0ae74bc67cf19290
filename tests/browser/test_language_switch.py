"""A real browser: the demo coordinator switches the interface to English and it stays so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compliance import demo

pytestmark = pytest.mark.browser

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
COORDINATOR = demo.email_of("thu.tran")


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
    assert page.locator("h1").inner_text() == "Việc của tôi"
    assert page.get_by_role("button", name="Đăng xuất").is_visible()

    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
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
