"""The announcement of conformity: drafted from the scope, signed by the person named (the
password again), issued as a PDF in the state's format parsed back, shown on the public
register; a change of scope afterwards makes a new announcement due on the home page."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import func, select

from compliance.core.extensions import db
from compliance.core.locale import format_moment
from compliance.scope.models import Announcement
from tests.auth.test_admin_users import events
from tests.conftest import do_login
from tests.factories import PASSWORD
from tests.notifications.helpers import new, raised, run, sentence
from tests.scope.helpers import scope_entry

DUE = "a new announcement is due"


def _form(page: str) -> dict:
    """The draft form's fields as the page shows them (inputs and text areas)."""
    fields = dict(re.findall(r'<input [^>]*name="(\w+)"[^>]*value="([^"]*)"', page))
    fields.update((name, text) for name, text in
                  re.findall(r'<textarea [^>]*name="(\w+)"[^>]*>\s*([^<]*)</textarea>', page))
    return {k: v.replace("&#34;", '"').replace("&amp;", "&") for k, v in fields.items()
            if k != "csrf_token"}


@pytest.mark.one_database
def test_drafted_signed_issued_and_posted(app, client, make, clock):
    department = make.department(code="TP", name_vi="Phòng Tư pháp", name_en="Justice Office")
    coordinator = make.user(roles=["coordinator"])
    head = make.user(name="Nguyễn Văn An", roles=["staff"])
    entry_id = scope_entry(app, coordinator.id, department.id)
    scope_entry(app, coordinator.id, department.id, name="Chứng thực bản sao từ bản chính",
                code="2.000815")
    do_login(client, coordinator.email)
    assert DUE in client.get("/").get_data(as_text=True)
    assert client.post("/scope/announcements/new", data={"submit": "1"}).status_code == 302
    with app.app_context():
        row_id = db.session.scalars(select(Announcement.id)).one()
    page = client.get(f"/scope/announcements/{row_id}").get_data(as_text=True)
    assert "Đăng ký khai sinh" in page and "Sign and issue" not in page
    sent = {**_form(page), "signer_id": str(head.id), "signer_title": "CHỦ TỊCH",
            "superior": "UBND TỈNH ĐỒNG THÁP", "place": "Thanh Bình"}
    assert client.post(f"/scope/announcements/{row_id}", data=sent).status_code == 302
    assert client.post(f"/scope/announcements/{row_id}", data=sent).status_code == 409
    # Only the person named signs; the coordinator is refused.
    assert client.post(f"/scope/announcements/{row_id}/sign",
                       data={"password": PASSWORD, "version": "2"}).status_code == 403
    client.post("/logout")

    do_login(client, head.email)
    assert "Sign and issue" in client.get(f"/scope/announcements/{row_id}").get_data(
        as_text=True)
    assert client.post(f"/scope/announcements/{row_id}/sign",
                       data={"password": "wrong", "version": "2"}).status_code == 403
    assert client.post(f"/scope/announcements/{row_id}/sign",
                       data={"password": PASSWORD, "version": "2"}).status_code == 302
    answer = client.get(f"/scope/announcements/{row_id}/pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    first = " ".join(reader.pages[0].extract_text().split())
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "UBND TỈNH ĐỒNG THÁP", "Số: 01/QĐ-UBND",
                 "Thanh Bình, ngày 15 tháng 6 năm 2026", "Quyết định số 19/2014/QĐ-TTg",
                 "Điều 1.", "TCVN ISO 9001:2015"):
        assert part in first, part
    whole = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "CHỦ TỊCH" in whole and "Nguyễn Văn An" in whole and "Nơi nhận:" in whole
    # How the signer proved who they were again, and when (issue 19).
    assert "Nguyễn Văn An Danh tính được xác minh lại bằng: mật khẩu, " in whole
    at = events(app, "scope_announcement.sign")[-1].after["reauthenticated_at"]
    with app.test_request_context(), force_locale("vi"):
        assert f"mật khẩu, {format_moment(datetime.fromisoformat(at))}" in whole
    assert "PHỤ LỤC" in whole and "1 Chứng thực bản sao từ bản chính 2.000815" in whole
    assert "2 Đăng ký khai sinh 1.001193" in whole
    client.post("/logout")

    public = client.get("/public/").get_data(as_text=True)
    # The register is read in Vietnamese: the date as the decree writes it.
    assert "Quyết định số 01/QĐ-UBND ngày 15 tháng 6 năm 2026" in public
    assert "Đăng ký khai sinh" in public
    link = re.search(r'href="([^"]+)" data-testid="public-announcement-pdf"', public).group(1)
    posted = client.get(link)
    assert posted.status_code == 200 and posted.data == answer.data
    assert client.get("/public/NOPE/announcement.pdf").status_code == 404
    do_login(client, coordinator.email)
    assert DUE not in client.get("/").get_data(as_text=True)
    assert client.post(f"/scope/{entry_id}", data={
        "kind": "procedure", "name": "Đăng ký khai sinh", "time_limit_days": "2",
        "in_scope": "y", "version": "1"}).status_code == 302
    assert DUE in client.get("/").get_data(as_text=True)
    assert client.post(f"/scope/announcements/{row_id}", data=sent).status_code == 409

    # The scheduler says so too, once, and drafts the new decision.
    clock.advance(days=1)
    assert run(app, "alerts.announcement_due", clock.now()) == new(1)
    note = raised(app, user_id=coordinator.id)[-1]
    assert note.kind == "announcement_due"
    assert "01/QĐ-UBND" in sentence(app, note, "vi") and "15/06/2026" in sentence(app, note, "vi")
    with app.app_context():
        drafted = db.session.scalars(select(Announcement).where(
            Announcement.state == "draft")).one()
        assert note.link == f"/scope/announcements/{drafted.id}"
    assert run(app, "alerts.announcement_due", clock.now()) == new(0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Announcement)) == 2
