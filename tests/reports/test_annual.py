"""The annual report: its template edited (409 on a stale save), a year drafted from it and
written, signed by the person named (the password again), issued as a PDF in the state's
format and parsed back: header blocks, number, date line, sections, signer."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db
from compliance.core.pdf.state_format import place_from
from compliance.org.models import Organisation
from compliance.reports.annual.models import AnnualReport
from compliance.scope.models import HandlingMonth
from tests.auth.test_admin_users import events
from tests.conftest import do_login
from tests.factories import PASSWORD
from tests.reports.helpers import local
from tests.scope.helpers import scope_entry


def _template(client) -> tuple[str, str]:
    page = client.get("/reports/annual/template").get_data(as_text=True)
    text = re.search(r'<textarea[^>]*name="sections"[^>]*>\s*([^<]*)</textarea>', page).group(1)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    return text.replace("&#34;", '"').replace("&amp;", "&"), version


@pytest.mark.one_database
def test_template_draft_sign_and_issue(app, client, make, clock):
    clock.set(local(2026, 12, 1, 9))
    coordinator = make.user(roles=["coordinator"])
    head = make.user(name="Nguyễn Văn An", roles=["staff"])
    entry_id = scope_entry(app, coordinator.id)
    with app.app_context(), write_intent():  # as the one-stop shop's export was imported
        db.session.add(HandlingMonth(entry_id=entry_id, month="2026-03", received=10,
                                     on_time=9, late=1, apologies=1, imported_at=utcnow()))
        db.session.commit()
    do_login(client, coordinator.email)

    text, version = _template(client)
    assert "Đào tạo, tập huấn về hệ thống quản lý chất lượng | text" in text and version == "0"
    bad = client.post("/reports/annual/template", data={
        "sections": text + "\nMục lạ | nothing", "version": version})
    assert bad.status_code == 400 and "Line 11" in bad.get_data(as_text=True) \
        and "Mục lạ | nothing" in bad.get_data(as_text=True)
    mine = text.replace("Xem xét của lãnh đạo | reviews\n", "") + "\nKết luận | text"
    assert client.post("/reports/annual/template", data={
        "sections": mine, "version": "0"}).status_code == 302
    assert client.post("/reports/annual/template", data={
        "sections": mine, "version": "0"}).status_code == 409

    assert client.post("/reports/annual/new", data={"year": "2026"}).status_code == 302
    again = client.post("/reports/annual/new", data={"year": "2026"})
    assert again.status_code == 400 and "drafted already" in again.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalars(select(AnnualReport)).one()
        row_id, sections = row.id, row.section_list()
        place = place_from(db.session.get(Organisation, row.organisation_id).name_vi)
    assert [s["title"] for s in sections][-1] == "Kết luận" and len(sections) == 10
    page = client.get(f"/reports/annual/{row_id}").get_data(as_text=True)
    assert "Vietnamese only" in page and "1 thủ tục hành chính" in page
    paragraphs = {f"paragraphs-{n}": "" for n in range(len(sections))}
    paragraphs["paragraphs-4"] = "Tổ chức 2 lớp tập huấn cho 45 công chức."
    paragraphs["paragraphs-9"] = "Hệ thống được duy trì hiệu quả."
    sent = {**paragraphs, "symbol": "BC-UBND", "superior": "UBND TỈNH ĐỒNG THÁP",
            "recipients": "Sở Khoa học và Công nghệ\nLưu: VT", "signer_id": str(head.id),
            "signer_title": "CHỦ TỊCH", "version": "1"}
    assert client.post(f"/reports/annual/{row_id}", data=sent).status_code == 302
    assert client.post(f"/reports/annual/{row_id}", data=sent).status_code == 409
    assert client.post(f"/reports/annual/{row_id}/sign",
                       data={"password": PASSWORD, "version": "2"}).status_code == 403
    client.post("/logout")

    do_login(client, head.email)
    assert "Sign and issue" in client.get(f"/reports/annual/{row_id}").get_data(as_text=True)
    assert client.post(f"/reports/annual/{row_id}/sign",
                       data={"password": "wrong", "version": "2"}).status_code == 403
    assert client.post(f"/reports/annual/{row_id}/sign",
                       data={"password": PASSWORD, "version": "2"}).status_code == 302
    answer = client.get(f"/reports/annual/{row_id}/pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    first = " ".join(reader.pages[0].extract_text().split())
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "UBND TỈNH ĐỒNG THÁP", "Số: 01/BC-UBND",
                 f"{place}, ngày 01 tháng 12 năm 2026", "BÁO CÁO",
                 "TCVN ISO 9001:2015 năm 2026", "1. Phạm vi áp dụng và những thay đổi",
                 "Phạm vi áp dụng gồm 1 thủ tục hành chính và 0 quy trình nội bộ."):
        assert part in first, part
    whole = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for part in ("Tổ chức 2 lớp tập huấn cho 45 công chức.", "10. Kết luận",
                 "Tiếp nhận 10 hồ sơ; giải quyết đúng hạn 9, trễ hạn 1; 1 phiếu xin lỗi. Tỷ lệ "
                 "đúng hạn 90,0%.",
                 "Hệ thống được duy trì hiệu quả.", "Nơi nhận:", "Sở Khoa học và Công nghệ",
                 "CHỦ TỊCH", "Nguyễn Văn An"):
        assert part in whole, part
    assert "Xem xét của lãnh đạo" not in whole
    # How the signer proved who they were again (issue 19), as the trail records it.
    assert "Nguyễn Văn An Danh tính được xác minh lại bằng: mật khẩu, " in whole
    signed = events(app, "annual_report.sign")[-1].after
    assert signed["method"] == "password" and signed["reauthenticated_at"]
    client.post("/logout")

    do_login(client, coordinator.email)
    # Kept as issued: the stored file, the page read-only, no more changes.
    assert client.get(f"/reports/annual/{row_id}/pdf").data == answer.data
    page = client.get(f"/reports/annual/{row_id}").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and 'name="paragraphs-0"' not in page
    assert client.post(f"/reports/annual/{row_id}", data={**sent, "version": "3"}) \
        .status_code == 409


def test_a_draft_form_short_of_its_sections_is_refused_not_a_crash(app, client, make):
    coordinator = make.user(roles=["coordinator"])
    do_login(client, coordinator.email)
    assert client.post("/reports/annual/new", data={"year": "2026"}).status_code == 302
    with app.app_context():
        row_id = db.session.scalars(select(AnnualReport.id)).one()
    assert client.post(f"/reports/annual/{row_id}", data={"submit": "1"}).status_code == 400
    short = {"paragraphs-0": "Một đoạn", "symbol": "BC-UBND", "signer_title": "CHỦ TỊCH",
             "signer_id": "0", "version": "1"}
    assert client.post(f"/reports/annual/{row_id}", data=short).status_code == 409
