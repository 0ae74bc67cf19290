"""A real browser: a department head uploads a procedure, the coordinator signs it into force,
and a member of staff downloads the stamped controlled copy."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from compliance import demo
from tests.browser.conftest import SUBMIT, choose, follow, sign_in
from tests.documents.helpers import pdf_bytes

pytestmark = pytest.mark.browser


def test_upload_approve_effective_download(live_server, page, tmp_path):
    base = live_server
    source = tmp_path / "quy-trinh-tham-dinh.pdf"
    source.write_bytes(pdf_bytes("Quy trình thẩm định dự toán ngân sách năm 2027"))

    sign_in(page, base, "phuc.le")  # head of TCKH
    page.goto(f"{base}/documents/new")
    page.select_option("select[name=doc_type]", "procedure")
    # Nothing is chosen for the author (issue 16): the department and the owner are picked.
    choose(page, "department_id", "(TCKH)", anywhere=True)
    page.select_option("select[name=owner_id]", label="Lê Văn Phúc")
    page.fill("input[name=title_vi]", "Quy trình thẩm định dự toán")
    page.fill("input[name=title_en]", "Budget estimate appraisal")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r".*/revisions/new$"))
    page.set_input_files("input[name=file]", str(source))
    page.fill("textarea[name=change_summary]", "Ban hành lần đầu")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r".*/documents/\d+$"))
    document_url = page.url
    code = page.locator("h1 code").inner_text()
    assert code.startswith("QT-TCKH-")
    follow(page, page.locator("main form[action$='/submit'] button"))
    assert page.locator("[data-testid=revision-status-01]").inner_text() in ("Đang xem xét",
                                                                           "In review")

    sign_in(page, base, "thu.tran")  # the ISO coordinator signs
    page.goto(document_url)
    page.locator("a[href$='/sign']").click()
    page.check("input[name=meaning][value=approved]")
    page.fill("textarea[name=comment]", "Đồng ý ban hành")
    page.fill("form:has(input[name=meaning]) input[name=password]", demo.DEMO_PASSWORD)
    page.click("form:has(input[name=meaning]) input[type=submit]")
    page.wait_for_url(document_url)
    assert page.locator("[data-testid=document-status]").inner_text() in ("Có hiệu lực",
                                                                          "Effective")
    assert "Trần Minh Thư" in page.locator(".signature").first.inner_text()

    sign_in(page, base, "long.nguyen")  # staff of TCKH reads the copy in force
    page.goto(document_url)
    with page.expect_download() as info:
        page.locator("a[href$='/download']").first.click()
    copy = info.value.path().read_bytes()
    text = PdfReader(io.BytesIO(copy)).pages[0].extract_text()
    assert code in text
    assert "Nguyễn Hoàng Long" in text
    assert "Quy trình thẩm định dự toán ngân sách năm 2027" in text
