"""Keyboard paths (issue 16, item 4): the main flows with the keyboard alone, in Chromium.

Someone who cannot use a mouse signs in, skips the navigation, opens the register from the
menu, finds a document and opens it; starts a new draft, uploads it and submits it for
review; contains a corrective action, typing its day as dd/mm/yyyy; a refused form puts them
on the field to correct, which a screen reader reads with its message; every stop of the Tab
key shows where it is.
"""

from __future__ import annotations

import re

import pytest

from compliance import demo
from compliance.core import clock
from tests.browser.conftest import sign_in
from tests.documents.helpers import pdf_bytes

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


def _enter(page) -> None:
    """Press Enter on what has the focus and wait for the page it sends to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _tab_marked(page, wanted, limit: int = 80) -> dict:
    """Tab to the element `wanted` names, checking that it shows it has the focus."""
    focused = tab_to(page, wanted, limit)
    assert page.evaluate(MARKED), focused
    return focused


def test_a_draft_submitted_and_a_correction_recorded_by_keyboard(live_server, page, tmp_path):
    base = live_server
    source = tmp_path / "huong-dan.pdf"
    source.write_bytes(pdf_bytes("Quy trình thẩm định, lần ban hành 02"))
    # The head of TCKH starts a new draft of a procedure in force and submits it for review.
    sign_in(page, base, "phuc.le")
    page.goto(f"{base}/documents/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link: straight to the register
    _tab_marked(page, lambda f: f["tag"] == "input" and f["name"] == "q")
    page.keyboard.type("QT-TCKH-01")
    _enter(page)
    _tab_marked(page, lambda f: re.search(r"/documents/\d+$", f["href"]) is not None)
    _enter(page)
    _tab_marked(page, lambda f: f["href"].endswith("/revisions/new"))
    _enter(page)
    _tab_marked(page, lambda f: f["name"] == "file")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(source))
    _tab_marked(page, lambda f: f["name"] == "change_summary")
    page.keyboard.type("Ban hành lần đầu")
    _tab_marked(page, lambda f: f["tag"] == "input" and f["classes"].startswith("btn"))
    _enter(page)
    assert re.search(r"/documents/\d+$", page.url), page.locator("main").inner_text()
    _tab_marked(page, lambda f: f["tag"] == "button" and "/submit" in page.evaluate(
        "() => document.activeElement.form && document.activeElement.form.action || ''"))
    _enter(page)
    assert page.locator("[data-testid=revision-status-02]").inner_text() == "Đang xem xét"

    # The head of TP contains the open corrective action: sent without the correction, the
    # form puts the focus on it; the day is typed as a Vietnamese office writes it.
    sign_in(page, base, "lan.dang")
    page.goto(f"{base}/corrective-actions/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    _tab_marked(page, lambda f: "HDKP-2026-002" in f["text"])
    _enter(page)
    _tab_marked(page, lambda f: f["name"] == "corrected_on")
    page.keyboard.type(clock.today().strftime("%d/%m/%Y"))
    _enter(page)
    focused = page.evaluate(FOCUSED)
    assert focused["name"] == "correction" and focused["invalid"] == "true"
    assert page.evaluate(MARKED)
    page.keyboard.type("Đã trả kết quả cho 3 hồ sơ quá hạn")
    _tab_marked(page, lambda f: f["name"] == "corrected_on")
    _tab_marked(page, lambda f: f["tag"] == "input" and "/contain" in page.evaluate(
        "() => document.activeElement.form && document.activeElement.form.action || ''"))
    _enter(page)
    assert "Đã trả kết quả cho 3 hồ sơ quá hạn" in page.locator("main").inner_text()
