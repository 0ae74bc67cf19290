"""A real browser: the head of a department records a month that misses its target, sees it
marked, raises the corrective action the page offers, and lands on it with the measure
linked."""

from __future__ import annotations

import re

import pytest

from compliance.core import clock
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
CODE = "M-TTHC-TCKH-01"


def test_from_a_missed_target_to_its_corrective_action(live_server, page):
    base = live_server
    # The demo records every month up to the last one: the running month is still open.
    period = clock.today().strftime("%Y-%m")
    sign_in(page, base, "phuc.le")  # head of TCKH, who records its measures
    page.goto(f"{base}/measures/")
    page.click(f"[data-testid=measure-{CODE}] a[href*='/measures/']")
    page.fill("input[name=period]", period)
    page.fill("input[name=received]", "20")
    page.fill("input[name=on_time]", "17")
    page.fill("input[name=late]", "3")
    page.click("form[action$='/values'] input[type=submit]")
    page.wait_for_url(re.compile(r".*/measures/\d+/values/\d+$"))
    assert page.locator("[data-testid=value] [data-testid=missed]").is_visible()
    page.select_option("form[action$='/corrective-action'] select[name=grade]", "minor")
    page.click("form[action$='/corrective-action'] input[type=submit]")
    page.wait_for_url(re.compile(r".*/corrective-actions/\d+$"))
    linked = page.locator("[data-testid=ca-measure]").inner_text()
    assert CODE in linked and period in linked
