"""A real browser: a major finding raises a corrective action that the department head works
through, the staff member's action is done, and the auditor verifies and closes it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from compliance.core import clock
from tests.browser.conftest import SUBMIT, choose, follow, sign_in
from tests.documents.helpers import pdf_bytes

pytestmark = pytest.mark.browser


def _pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes("Bằng chứng")}


def _status(page) -> str:
    return page.locator("[data-testid=ca-status]").inner_text()


def test_from_a_major_finding_to_closure(live_server, page):
    base = live_server
    today = clock.today()
    sign_in(page, base, "thu.tran")  # ISO coordinator plans the audit
    page.goto(f"{base}/audits/programmes/new")
    page.fill("input[name=title]", "Chương trình 2026")
    page.fill("input[name=period_start]", "2026-01-01")
    page.fill("input[name=period_end]", "2026-12-31")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r".*/audits/programmes/\d+$"))
    page.click("a[href*='/audits/new']")
    page.wait_for_url(re.compile(r".*/audits/new$"))
    choose(page, "department_id", "(TCKH)", anywhere=True)
    choose(page, "clause_ids", "8.5.1 ")
    page.fill("input[name=planned_start]", "2026-06-01")
    page.fill("input[name=planned_end]", "2026-06-02")
    page.select_option("select[name=lead_auditor_id]", label="Phạm Hồng Nhung")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r".*/audits/\d+/$"))
    audit_url = page.url

    sign_in(page, base, "nhung.pham")  # the lead auditor records a major finding
    page.goto(audit_url)
    page.locator("main form[action$='/start'] button").click()
    page.wait_for_url(audit_url)
    page.select_option("form[action$='/findings'] select[name=grade]", "major")
    page.fill("form[action$='/findings'] textarea[name=description]",
              "Hồ sơ đăng ký hộ kinh doanh trả kết quả quá hạn, không có sổ theo dõi")
    follow(page, "form[action$='/findings'] input[type=submit]")

    sign_in(page, base, "phuc.le")  # head of TCKH
    page.goto(f"{base}/corrective-actions/")
    page.click("a[href*='/corrective-actions/']:has(code)")
    page.wait_for_url(re.compile(r".*/corrective-actions/\d+$"))
    ca_url = page.url
    assert "quá hạn" in page.content()
    page.fill("form[action$='/contain'] textarea[name=correction]",
              "Đã liên hệ và trả kết quả cho 3 hộ kinh doanh")
    page.fill("form[action$='/contain'] input[name=corrected_on]", today.isoformat())
    follow(page, "form[action$='/contain'] input[type=submit]")
    page.fill("textarea[name=why1]", "Không ai theo dõi hạn trả kết quả")
    page.fill("textarea[name=why2]", "Không có sổ theo dõi hạn")
    page.fill("textarea[name=why3]", "Quy trình không quy định việc theo dõi hạn")
    page.select_option("select[name=ishikawa]", "method")
    page.fill("textarea[name=extent]", "Có thể xảy ra ở bộ phận một cửa của Văn phòng")
    follow(page, "form[action$='/analyse'] input[type=submit]")
    page.fill("form[action$='/actions'] textarea[name=description]",
              "Lập sổ theo dõi hạn trả kết quả")
    page.select_option("form[action$='/actions'] select[name=owner_id]",
                       label="Nguyễn Hoàng Long")
    page.fill("form[action$='/actions'] input[name=due_on]",
              (today + timedelta(days=7)).isoformat())
    follow(page, "form[action$='/actions'] input[type=submit]")
    assert page.locator("[data-testid=whys] li").count() == 3

    sign_in(page, base, "long.nguyen")  # the staff member who owns the action
    page.goto(ca_url)
    page.locator("details:has(form[action$='/done']) > summary").click()
    page.fill("form[action$='/done'] textarea[name=note]", "Sổ đã lập và đưa vào sử dụng")
    page.set_input_files("form[action$='/done'] input[name=file]", _pdf("so-theo-doi.pdf"))
    follow(page, "form[action$='/done'] input[type=submit]")
    assert _status(page) in ("Verifying effectiveness", "Đang kiểm tra hiệu lực")

    sign_in(page, base, "nhung.pham")  # the verifier
    page.goto(ca_url)
    page.check("form[action$='/check'] input[value=effective]")
    page.fill("form[action$='/check'] textarea[name=notes]",
              "Kiểm tra 20 hồ sơ tháng gần nhất: không hồ sơ nào quá hạn")
    page.set_input_files("form[action$='/check'] input[name=file]", _pdf("thong-ke.pdf"))
    follow(page, "form[action$='/check'] input[type=submit]")
    follow(page, "form[action$='/close'] input[type=submit]")
    assert _status(page) in ("Closed", "Đã kết thúc")
