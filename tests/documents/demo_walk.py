"""The demo's office procedure seen by the coordinator, following the links and the form its
pages really show: the register → the procedure's page (revision 01 in force, revision 02
checked and awaiting approval under the document's own chain) → the comparison of the two,
which marks the paragraphs revision 02 changed. The demo is loaded without LibreOffice (as
every test app is), so the page says the copies are the original files."""

from __future__ import annotations

import html
import re

from compliance import demo_office
from tests.quality.demo_walk import click

OPTION = re.compile(r'<select[^>]*name="(a|b)"[^>]*>(.*?)</select>', re.S)
SELECTED = re.compile(r'<option value="(\d+)" selected>')


def _compare_query(page: str) -> dict[str, str]:
    """The revisions the document page's compare form has chosen (the older, the newer)."""
    form = page.split('data-testid="compare-form"')[1].split("</form>")[0]
    return {name: SELECTED.search(options).group(1) for name, options in OPTION.findall(form)}


def _text(page: str, testid: str) -> str:
    part = page.split(f'data-testid="{testid}"')[1].split("</li>")[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def walk_to_the_office_procedure(client) -> None:
    """Signed in as the demo coordinator, in English: the procedure written in Word."""
    register = client.get("/documents/").get_data(as_text=True)
    assert demo_office.TITLE_EN in html.unescape(register)
    code = re.search(r"<code>(QT-VP-\d+)</code>", register).group(1)  # the one VP procedure
    url, page = click(client, register, text=code)
    text = html.unescape(page)
    assert demo_office.TITLE_EN in text and demo_office.CHAIN_REASON in text
    assert "This document's own chain." in text
    for label, status in (("01", "Effective"), ("02", "In review")):
        assert re.search(rf'data-testid="revision-status-{label}">{status}<', page), label
        # No converter in the tests: each DOCX revision says its copies are the original.
        assert f'data-testid="unstamped-{label}"' in page
    assert 'data-testid="no-renderer"' in page
    # Revision 02's chain: step 1 checked by the coordinator, step 2 awaits the administrator
    # (the author and the signer of step 1 may not sign it).
    revisions = page.split('data-testid="revisions"')[1]
    assert "signed by Trần Minh Thư" in _text(revisions, "chain-step-1")
    assert demo_office.CHECKED_COMMENT in _text(revisions, "chain-step-1")
    assert _text(revisions, "chain-step-2").endswith("awaited now: Đỗ Quang Vinh")
    compared = client.get(f"{url}/compare", query_string=_compare_query(page))
    assert compared.status_code == 200
    body = html.unescape(compared.get_data(as_text=True))
    assert demo_office.FIRST_SUMMARY in body and demo_office.SECOND_SUMMARY in body
    # The paragraphs revision 02 changed, marked; the unchanged ones, not.
    for added in ("Nghị định 107/2021/NĐ-CP sửa đổi, bổ sung Nghị định 61/2018/NĐ-CP.",
                  " nộp trực tiếp hoặc qua Cổng dịch vụ công",
                  "tại quầy hoặc qua dịch vụ bưu chính công ích;",
                  "Bước 5. Lấy ý kiến đánh giá mức độ hài lòng của công dân về việc giải quyết "
                  "hồ sơ.", "10"):
        assert f'<ins class="diff-ins">{added}</ins>' in body, added
    for removed in ("01", "trong", "5"):
        assert f'<del class="diff-del">{removed}</del>' in body, removed
    assert "Bước 3. Phòng chuyên môn thẩm định" in body
    assert "diff-del\">Bước 3" not in body and "diff-ins\">Bước 3" not in body
