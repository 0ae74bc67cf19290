"""html_to_pdf's locked-down fetcher and controlled-copy stamping, parsed back with pypdf."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader, PdfWriter

from compliance.core.pdf import Stamp, html_to_pdf, stamp_pdf
from compliance.core.pdf.fetcher import AllowListFetcher


def _blank_pdf(*sizes) -> bytes:
    writer = PdfWriter()
    for width, height in sizes:
        writer.add_blank_page(width=width, height=height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_stamp_is_on_every_page_and_the_original_is_untouched():
    original = _blank_pdf((595, 842), (842, 595), (595, 842))
    digest = hashlib.sha256(original).hexdigest()
    stamped = stamp_pdf(original, Stamp(header="QT-TCKH-03 · Lần 02 · Có hiệu lực",
                                        footer="Cấp cho Trần Minh Thư · BẢN KHÔNG KIỂM SOÁT KHI IN",
                                        watermark="ĐÃ BỊ THAY THẾ"))
    assert hashlib.sha256(original).hexdigest() == digest
    pages = PdfReader(io.BytesIO(stamped)).pages
    assert len(pages) == 3
    for page in pages:
        text = page.extract_text()
        assert "QT-TCKH-03 · Lần 02 · Có hiệu lực" in text
        assert "BẢN KHÔNG KIỂM SOÁT KHI IN" in text
        assert "ĐÃ BỊ THAY THẾ" in text
    assert [round(float(p.mediabox.width)) for p in pages] == [595, 842, 595]


@pytest.mark.parametrize("hostile", [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
    '<style>@import url("https://example.com/a.css");</style>',
    '<div style="background: url(file:///etc/shadow)">x</div>',
    '<img src="../../instance/secret_key">',
    '<a rel="attachment" href="file:///etc/hosts">x</a>',
])
def test_fetcher_refuses_everything_not_handed_to_it(hostile):
    fetcher = AllowListFetcher({"app://render/logo.png": (b"not used", "image/png")})
    pdf = html_to_pdf(f"<p>Nội dung</p>{hostile}", fetcher=fetcher)
    assert pdf.startswith(b"%PDF-")
    assert fetcher.refused, "the hostile reference should have been attempted and refused"
    assert "Nội dung" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


VIETNAMESE = "Ủy ban nhân dân huyện Thanh Bình: Quy trình tiếp nhận hồ sơ, Trưởng phòng Nội vụ"


def test_the_limited_renderer_embeds_dejavu_and_keeps_vietnamese_intact():
    from compliance.core.pdf import render_limited

    pdf = render_limited('<link rel="stylesheet" href="app://static/pdf-report.css">'
                         f"<p>{VIETNAMESE}</p>")
    reader = PdfReader(io.BytesIO(pdf))
    assert VIETNAMESE in " ".join(reader.pages[0].extract_text().split())
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    names = [str(f["/BaseFont"]) for f in fonts]
    assert names and all("DejaVu" in n for n in names)
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() \
            if "/DescendantFonts" in font else font["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_static_files_are_served_but_not_outside_the_folder():
    fetcher = AllowListFetcher()
    html_to_pdf('<link rel="stylesheet" href="app://static/pdf-report.css">'
                '<img src="app://static/../pdf.py"><img src="app://static/%2e%2e/config.py">'
                '<img src="app://static//etc/passwd">', fetcher=fetcher)
    assert fetcher.served == ["app://static/pdf-report.css"]
    assert len(fetcher.refused) == 3


def test_turned_pages_and_inherited_resources_keep_their_content_and_get_the_stamp():
    """A page turned by /Rotate gets an overlay of the size it is shown at; a page whose
    fonts are inherited from the page tree keeps them when the stamp is added."""
    import pikepdf

    with pikepdf.open(io.BytesIO(html_to_pdf("<p>Nội dung gốc</p>"))) as pdf:
        page = pdf.pages[0].obj
        pdf.Root.Pages.Resources, pdf.Root.Pages.Rotate = page.Resources, 90
        del page["/Resources"]
        out = io.BytesIO()
        pdf.save(out)
    stamped = stamp_pdf(out.getvalue(), Stamp(header="QT-TCKH-03 · Lần 02", footer="Cấp cho"))
    text = " ".join(PdfReader(io.BytesIO(stamped)).pages[0].extract_text().split())
    assert "Nội dung gốc" in text and "QT-TCKH-03 · Lần 02" in text
    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        overlay = pdf.pages[0].resources.XObject["/ComplianceStamp0"]
        width, height = (float(v) for v in overlay.BBox[2:])
    assert (round(width), round(height)) == (842, 595)  # A4 upright, shown across
