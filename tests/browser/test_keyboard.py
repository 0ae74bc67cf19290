"""Keyboard paths (issue 16, item 4): the main flows with the keyboard alone, in Chromium.

Someone who cannot use a mouse signs in, skips the navigation, opens the register from the
menu, finds a document and opens it; a refused form puts them on the field to correct, which
a screen reader reads with its message; every stop of the Tab key shows where it is.
"""

from __future__ import annotations

import re

import pytest

from compliance import demo
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

# What the focused element is, read in the page.
FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute("name") || "",
          href: e.getAttribute("href") || "", text: (e.innerText || e.value || "").trim(),
          classes: e.className || "", invalid: e.getAttribute("aria-invalid"),
          described: e.getAttribute("aria-describedby") || ""};
}"""
# Whether the focused element is drawn with a focus mark: an outline or a ring (box-shadow).
MARKED = """() => {
  const s = getComputedStyle(document.activeElement);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  return outline || (s.boxShadow && s.boxShadow !== "none");
}"""


def tab_to(page, wanted, limit: int = 80, key: str = "Tab") -> dict:
    """Press Tab until the focused element is the one `wanted(focused)` says; fail after
    `limit` presses (a keyboard trap, or an element the keyboard cannot reach)."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached by {limit} presses of {key}; last: {focused}")


def test_sign_in_skip_the_menu_open_the_register_and_a_document_by_keyboard(live_server,
                                                                           page):
    base = live_server
    page.goto(f"{base}/login")
    # The sign-in page starts on its first field.
    assert page.evaluate(FOCUSED)["name"] == "email"
    page.keyboard.type(demo.email_of("thu.tran"))
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["name"] == "password"
    page.keyboard.type(demo.DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base}/"
    # The first stop is the link past the navigation, which puts the keyboard in the content.
    page.keyboard.press("Tab")
    assert "skip-link" in page.evaluate(FOCUSED)["classes"]
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "main"

    # From the top again, the Documents menu opens with Enter; the arrow keys walk its entries.
    page.goto(f"{base}/")
    tab_to(page, lambda f: "dropdown-toggle" in f["classes"])
    page.keyboard.press("Enter")
    entry = tab_to(page, lambda f: f["href"].endswith("/documents/"), limit=5, key="ArrowDown")
    assert "dropdown-item" in entry["classes"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/documents/")

    # Past the menu with the skip link, to the register's search, then to a document.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "q")
    page.keyboard.type("QT-TCKH")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=QT-TCKH" in page.url
    link = tab_to(page, lambda f: re.search(r"/documents/\d+$", f["href"]) is not None)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(link["href"])
    assert "QT-TCKH" in page.locator("h1").inner_text()


def test_a_refused_form_puts_the_keyboard_on_the_field_to_correct(live_server, page):
    base = live_server
    sign_in(page, base, "phuc.le")  # head of TCKH
    page.goto(f"{base}/documents/new")
    # Straight to the button, nothing filled in, sent with the keyboard.
    page.locator("main form input[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    focused = page.evaluate(FOCUSED)
    first_wrong = page.locator("main [aria-invalid=true]").first
    assert focused["invalid"] == "true"
    assert focused["id"] == first_wrong.get_attribute("id")
    # What a screen reader reads with the field: its message, shown below it.
    message = page.locator(f"#{focused['described'].split()[0]}")
    assert message.is_visible() and message.inner_text().strip()
    # Corrected by keyboard from there: typing lands in the field that has the focus.
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") != ""


@pytest.mark.parametrize("path", ["/", "/documents/", "/capa/"])
def test_every_stop_of_the_tab_key_shows_where_it_is(live_server, page, path):
    base = live_server
    sign_in(page, base, "thu.tran")
    page.goto(base + path)
    seen, unmarked = set(), []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        stop = (focused["tag"], focused["id"], focused["name"], focused["href"],
                focused["text"][:40])
        if stop in seen:  # round the whole page and back to the start
            break
        seen.add(stop)
        if focused["tag"] != "body" and not page.evaluate(MARKED):
            unmarked.append(stop)
    assert len(seen) > 5
    assert unmarked == []
