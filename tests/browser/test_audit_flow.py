"""A real browser: the coordinator plans an audit, the lead auditor runs it, signs the report
and downloads it as a PDF."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from compliance import demo
from tests.browser.conftest import SUBMIT, choose, follow, sign_in

pytestmark = pytest.mark.browser


def test_plan_run_and_report(live_server, page):
    base = live_server
    sign_in(page, base, "thu.tran")  # ISO coordinator
    page.goto(f"{base}/audits/programmes/new")
    page.fill("input[name=title]", "Chương trình đánh giá nội bộ 2026")
    page.fill("input[name=period_start]", "2026-01-01")
    page.fill("input[name=period_end]", "2026-12-31")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r".*/audits/programmes/\d+$"))
    page.click("a[href*='/audits/new']")
    page.wait_for_url(re.compile(r".*/audits/new$"))
    choose(page, "department_id", "(TCKH)", anywhere=True)
    choose(page, "clause_ids", "7.5.1 ")
    page.fill("input[name=planned_start]", "2026-06-01")
    page.fill("input[name=planned_end]", "2026-06-02")
    page.select_option("select[name=lead_auditor_id]", label="Phạm Hồng Nhung")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r".*/audits/\d+/$"))
    audit_url = page.url

    sign_in(page, base, "nhung.pham")  # lead auditor, from another department
    page.goto(audit_url)
    page.locator("main form[action$='/start'] button").click()
    page.wait_for_url(audit_url)
    items = page.locator("form[action*='/result']")
    count = items.count()
    assert count >= 1
    for n in range(count):
        page.locator("details:has(form[action*='/result']) > summary").nth(n).click()
        form = page.locator("form[action*='/result']").nth(n)
        form.locator("select[name=result]").select_option("conforming" if n else "minor")
        form.locator("textarea[name=notes]").fill("Đã kiểm tra sổ theo dõi")
        follow(page, form.locator("input[type=submit]"))
    page.select_option("form[action$='/findings'] select[name=grade]", "minor")
    page.fill("form[action$='/findings'] textarea[name=description]",
              "Sổ theo dõi văn bản đến thiếu ngày vào sổ")
    follow(page, "form[action$='/findings'] input[type=submit]")
    page.fill("form[action$='/report/sign'] textarea[name=summary]",
              "Hệ thống tài liệu được kiểm soát phù hợp, còn một điểm nhẹ.")
    page.fill("form[action$='/report/sign'] input[name=password]", demo.DEMO_PASSWORD)
    follow(page, "form[action$='/report/sign'] input[type=submit]")
    assert page.locator("[data-testid=audit-status]").inner_text() in ("Reported", "Đã báo cáo")

    with page.expect_download() as info:
        page.click("a[href$='/report.pdf']")
    pdf = info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Sổ theo dõi văn bản đến thiếu ngày vào sổ" in text
    assert "Phạm Hồng Nhung" in text
