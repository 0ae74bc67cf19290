"""A real browser: an auditor builds an evidence pack, watches the progress bar reach 100% and
downloads the PDF."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_build_watch_progress_and_download(live_server, page):
    base = live_server
    sign_in(page, base, "nhung.pham")  # auditor: any scope
    page.click("[data-testid=nav-reports]")
    page.click("a.dropdown-item[href$='/evidence/']")
    page.wait_for_url(f"{base}/evidence/")
    # One department's half-year: the flow is the same as the organisation's, on fewer pages.
    page.select_option("select[name=scope_kind]", "department")
    page.select_option("select[name=department_id]", index=1)
    page.fill("input[name=period_start]", "2026-01-01")
    page.fill("input[name=period_end]", "2026-06-30")
    page.click("form[action$='/evidence/'] input[type=submit]")
    page.wait_for_url(re.compile(r".*/evidence/\d+$"))
    bar = page.locator("[data-testid=pack-progress]")
    bar.wait_for()
    # The page polls the status endpoint and moves the bar; at the end it shows the result.
    page.wait_for_selector("[data-testid=pack-progress][data-progress='100']", timeout=120_000)
    page.wait_for_selector("[data-testid=pack-download]", timeout=30_000)
    assert bar.inner_text().strip() == "100%"
    with page.expect_download() as info:
        page.click("[data-testid=pack-download]")
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert "manifest.json" in reader.attachments
    assert page.locator("[data-testid=pack-sha]").inner_text() in page.content()
