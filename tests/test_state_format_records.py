"""Issue 17, item 3: the audit report and the management review's input pack, in Vietnamese,
are documents in the state's format (core.pdf.state_format); in English they keep their own
layout. Parsed back with pypdf."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.audits.helpers import audit_in_state, cast
from tests.reports.test_six_monthly import pdf_text

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "ỦY BAN NHÂN DÂN HUYỆN THANH BÌNH", "BÁO CÁO", "Nơi nhận:", "Lưu: VT")


def _state_parts(text: str) -> None:
    for part in HEADER:
        assert part in text, part
    # An internal record: no number line.
    assert "Số:" not in text


@pytest.mark.one_database
def test_the_audit_report_in_vietnamese_is_in_the_state_format(app, make, login, clock):
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=VN))
    people = cast(make)
    ids = audit_in_state(app, people, "reported")
    texts = {}
    for locale in ("vi", "en"):
        client = app.test_client()
        login(client, make.user(roles=["coordinator"], locale=locale).email)
        response = client.get(f"/audits/{ids.audit_id}/report.pdf")
        assert response.status_code == 200
        texts[locale] = pdf_text(response.data)
    vi = texts["vi"]
    _state_parts(vi)
    assert "Thanh Bình, ngày 01 tháng 12 năm 2026" in vi
    assert "TRƯỞNG ĐOÀN ĐÁNH GIÁ" in vi and "Phạm Hồng Nhung" in vi
    assert re.search(r"Kết quả đánh giá nội bộ hệ thống quản lý chất lượng", vi)
    assert ids.reference in vi and "Internal audit report" not in vi
    # The signer's name closes the document, after the recipients' block.
    assert vi.rindex("Phạm Hồng Nhung") > vi.index("Nơi nhận:")
    en = texts["en"]
    assert "Internal audit report" in en and ids.reference in en
    assert "CỘNG HÒA" not in en and "Signed by the lead auditor: Phạm Hồng Nhung" in en


@pytest.mark.one_database
def test_the_review_input_pack_in_vietnamese_is_in_the_state_format(client, login, make,
                                                                     clock):
    clock.set(datetime(2026, 7, 5, 9, 0, tzinfo=VN))
    login(client, make.user(roles=["coordinator"], name="Trần Minh Thư").email)
    texts = {}
    for lang in ("vi", "en"):
        response = client.get("/management-reviews/input-pack.pdf?start=2026-01-01"
                              f"&end=2026-06-30&lang={lang}")
        assert response.status_code == 200
        texts[lang] = pdf_text(response.data)
    vi = texts["vi"]
    _state_parts(vi)
    assert "Thanh Bình, ngày 05 tháng 7 năm 2026" in vi
    assert "từ ngày 01/01/2026 đến ngày 30/06/2026" in vi
    assert "NGƯỜI LẬP" in vi and vi.rindex("Trần Minh Thư") > vi.index("Nơi nhận:")
    assert "Management review input pack" not in vi
    en = texts["en"]
    assert "Management review input pack" in en and "CỘNG HÒA" not in en
