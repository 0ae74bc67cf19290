"""Documents in the state's format (Nghị định 30/2020/NĐ-CP): the layout component rendered,
then parsed back with pypdf: header blocks and where they sit, number, date line, signer,
the embedded font and the A4 page."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask import render_template
from pypdf import PdfReader

from compliance.core.pdf import render_limited
from compliance.core.pdf.state_format import (
    LAYOUT,
    MOTTO,
    NATIONAL_TITLE,
    StateDocument,
    context,
    number_line,
    place_date_line,
    place_from,
)

MM = 72 / 25.4


def lines_at(page) -> list[tuple[str, float, float]]:
    """Each piece of text on the page with its x and y (points from the bottom left)."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


def used(page) -> list[tuple[str, dict]]:
    """Each piece of text with the font it is set in."""
    found = []

    def visit(text, cm, tm, font, size):
        if font:
            found.append((text, font))

    page.extract_text(visitor_text=visit)
    return found


def where(found, text) -> tuple[float, float]:
    """Position of the first piece containing `text`."""
    return next((x, y) for piece, x, y in found if text in piece)


def test_leading_zeros_of_the_number_and_the_date():
    assert number_line(12, "QĐ-UBND") == "Số: 12/QĐ-UBND"
    assert number_line(5, "QĐ-UBND") == "Số: 05/QĐ-UBND"
    assert place_date_line("Thanh Bình", date(2026, 2, 5)) == \
        "Thanh Bình, ngày 05 tháng 02 năm 2026"
    assert place_date_line("Thanh Bình", date(2026, 12, 1)) == \
        "Thanh Bình, ngày 01 tháng 12 năm 2026"
    assert place_date_line("Thanh Bình", date(2026, 3, 15)) == \
        "Thanh Bình, ngày 15 tháng 3 năm 2026"
    assert place_from("Ủy ban nhân dân huyện Thanh Bình") == "Thanh Bình"
    assert place_from("UBND thị trấn Thanh Bình") == "Thanh Bình"


@pytest.mark.one_database
def test_a_decision_in_the_state_format_parses_back(app):
    doc = StateDocument(
        superior="UBND TỈNH ĐỒNG THÁP", issuer="ỦY BAN NHÂN DÂN HUYỆN THANH BÌNH",
        symbol="QĐ-UBND", number=12, place="Thanh Bình", day=date(2026, 12, 1),
        kind="QUYẾT ĐỊNH", summary="Về việc công bố Hệ thống quản lý chất lượng",
        authority="TM. ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH", signer_name="Nguyễn Văn An",
        recipients=["Sở Khoa học và Công nghệ", "Lưu: VT"])
    with app.test_request_context():
        html = render_template("pdf/state_document.html", **context(doc))
    reader = PdfReader(io.BytesIO(render_limited(html)))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = " ".join(page.extract_text().split())
    for part in (NATIONAL_TITLE, MOTTO, "UBND TỈNH ĐỒNG THÁP", "ỦY BAN NHÂN DÂN HUYỆN THANH BÌNH",
                 "Số: 12/QĐ-UBND", "Thanh Bình, ngày 01 tháng 12 năm 2026", "QUYẾT ĐỊNH",
                 "Nơi nhận:", "Sở Khoa học và Công nghệ", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                 "Nguyễn Văn An"):
        assert part in text, part
    found = lines_at(page)
    superior, issuer = where(found, "UBND TỈNH"), where(found, "ỦY BAN NHÂN DÂN HUYỆN")
    title, motto = where(found, "CỘNG HÒA"), where(found, "Độc lập")
    number, day = where(found, "Số: 12"), where(found, "ngày 01 tháng 12")
    # The issuer's block on the left, the superior above the issuer, the number below;
    # the national title on the right, the motto under it, the date line under the motto.
    assert superior[1] > issuer[1] > number[1]
    assert title[1] > motto[1] > day[1]
    assert superior[0] < title[0] and abs(superior[1] - title[1]) < 3
    assert where(found, "Nguyễn Văn An")[1] < where(found, "CHỦ TỊCH")[1] < day[1]
    # Nothing in the left margin (30 mm), nor higher than the top margin (20 mm).
    assert min(x for _, x, _ in found) >= LAYOUT.margins.left * MM - 1
    assert max(y for _, _, y in found) <= 842 - LAYOUT.margins.top * MM
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    assert fonts and all("Liberation-Serif" in str(f["/BaseFont"]) for f in fonts), [
        (t, str(f["/BaseFont"])) for t, f in used(page) if "Liberation" not in str(f["/BaseFont"])]
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() \
            if "/DescendantFonts" in font else font["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
