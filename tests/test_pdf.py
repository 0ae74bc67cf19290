"""html_to_pdf's locked-down fetcher and controlled-copy stamping, parsed back with pypdf."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader, PdfWriter

from compliance.pdf import AllowListFetcher, Stamp, html_to_pdf, stamp_pdf


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
