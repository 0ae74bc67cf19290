"""A real browser: type-to-search narrows a people picker and the clause list, by keyboard."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

SHOWN = "sel => Array.from(sel.options).filter(o => !o.hidden && o.value).map(o => o.text)"


def test_typing_narrows_the_owner_and_clause_pickers(live_server, page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # the script's own errors
    sign_in(page, live_server, "thu.tran")
    page.goto(f"{live_server}/documents/new")
    owner = page.locator("select[name=owner_id]")
    search = page.get_by_label("Gõ để lọc danh sách").first
    assert search.is_visible()
    assert owner.input_value() == ""  # nobody chosen in advance
    everyone = owner.evaluate(SHOWN)
    # Without tones or the bar of Đ, as a person types on a phone: "long" finds "Long".
    search.fill("hoang long")
    assert owner.evaluate(SHOWN) == ["Nguyễn Hoàng Long"]
    search.press("Enter")  # the only match is chosen, the form is not sent
    assert page.url.endswith("/documents/new")
    assert owner.evaluate("sel => sel.options[sel.selectedIndex].text") == "Nguyễn Hoàng Long"
    search.press("Escape")
    assert len(owner.evaluate(SHOWN)) == len(everyone)

    clauses = page.locator("select[name=clause_ids]")
    clause_search = page.locator(f"#{clauses.get_attribute('id')}-filter")
    clause_search.fill("7.5")
    shown = clauses.evaluate(SHOWN)
    assert shown and all("7.5" in text for text in shown)
    clause_search.press("ArrowDown")  # into the list, by keyboard
    assert page.evaluate("document.activeElement.name") == "clause_ids"
    assert not errors
