"""Six-monthly report: figures on a hand-built half-year (boundaries), the PDF parsed back,
language choice, bad input, and the coordinator's notes."""

from __future__ import annotations

import io
import re
from datetime import date
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from compliance.auth.models import User
from compliance.capa import services as ca_services
from compliance.core import clock
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.org.models import Department
from compliance.reports import queries
from compliance.reports.periods import half_year, parse_half_year, previous_half_year
from tests.capa.helpers import ca_in_state
from tests.reports.helpers import document, local, periodic_review, reported_audit

H1 = half_year(2026, 1)


def pdf_text(data: bytes) -> str:
    """Every page's text, joined."""
    assert data.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    # Table cells wrap; compare with the line breaks folded into single spaces.
    return " ".join(text.split())


def build_half_year(app, make) -> SimpleNamespace:
    """Two departments and one half-year (2026-H1) with records on both sides of each edge."""
    tp, nv = make.department(code="TP"), make.department(code="NV")
    coordinator = make.user(name="Trần Minh Thư", roles=["coordinator"])
    lead = make.user(name="Phạm Hồng Nhung", roles=["auditor"])
    owner = make.user(name="Lê Văn Phúc", departments=[(tp.id, "department_head")])
    with app.app_context(), write_intent():
        coord = db.session.get(User, coordinator.id)
        d1 = document(tp.id, owner.id, "QT-TP-01", date(2026, 1, 10))
        document(tp.id, owner.id, "QT-TP-02", date(2025, 3, 1),
                 title="Quy trình cấp giấy chứng nhận quyền sử dụng đất")   # due 2026-03-01
        document(tp.id, owner.id, "QT-TP-03", date(2025, 6, 30))              # due 06-30: late
        d4 = document(tp.id, owner.id, "QT-TP-04", date(2025, 7, 1))          # due 07-01: not
        document(tp.id, owner.id, "QT-TP-05", date(2026, 7, 1))               # not yet in force
        d6 = document(tp.id, owner.id, "QT-TP-06", date(2024, 5, 1),
                      superseded_at=local(2026, 7, 1, 0, 30), successor=date(2026, 7, 1))
        document(nv.id, owner.id, "QT-NV-01", date(2026, 2, 1))
        periodic_review(d6.id, owner.id, local(2026, 2, 1, 9))                # extends D6
        periodic_review(d1.id, owner.id, local(2026, 6, 30, 23, 59), "revise")  # inside
        periodic_review(d4.id, owner.id, local(2026, 7, 1, 0, 0))             # next half
        reported_audit(coord, lead.id, tp.id, local(2026, 6, 30, 23), ["major", "minor", "minor"])
        reported_audit(coord, lead.id, nv.id, local(2026, 7, 1, 0, 10), ["major"])
        reported_audit(coord, lead.id, nv.id, local(2026, 1, 1, 0, 0), ["observation"])
        db.session.commit()
    ids = {"coordinator_id": coordinator.id, "owner_id": owner.id}
    ca_in_state(app, tp.id, "open", today=date(2026, 1, 1), **ids)
    ca_in_state(app, tp.id, "actions_in_progress", today=date(2025, 12, 31), **ids)  # late
    ca_in_state(app, tp.id, "closed", today=date(2026, 6, 30), grade="minor", **ids)
    ca_in_state(app, tp.id, "actions_in_progress", today=date(2026, 6, 20), **ids)   # due 07-04
    late = ca_in_state(app, tp.id, "actions_in_progress", today=date(2026, 6, 1), **ids)
    ca_in_state(app, nv.id, "open", today=date(2026, 7, 1), **ids)
    with app.app_context(), write_intent():
        from compliance.capa.models import CorrectiveAction

        ca = db.session.get(CorrectiveAction, late.ca_id)
        ca_services.complete_action(db.session.get(User, coordinator.id), ca,
                                    ca_services.get_action(ca, late.action_id),
                                    today=date(2026, 7, 5), note="Xong sau kỳ")
        db.session.commit()
    return SimpleNamespace(tp=tp, nv=nv, coordinator=coordinator, owner=owner)


def figures(report) -> dict:
    return {"documents": len(report.documents), "reviews_done": len(report.reviews_done),
            "reviews_overdue": len(report.reviews_overdue), "audits": len(report.audits),
            "findings": dict((g.code, n) for g, n in report.findings if n),
            "opened": len(report.opened), "closed": len(report.closed),
            "overdue": len(report.overdue)}


def test_figures_count_what_falls_inside_the_half_year(app, make):
    case = build_half_year(app, make)
    with app.test_request_context():
        tp = queries.six_monthly(H1, db.session.get(Department, case.tp.id))
        org = queries.six_monthly(H1, None)
        assert figures(tp) == {"documents": 5, "reviews_done": 2, "reviews_overdue": 2,
                               "audits": 1, "findings": {"major": 1, "minor": 2},
                               "opened": 4, "closed": 1, "overdue": 2}
        assert [d.code for d, _due in tp.reviews_overdue] == ["QT-TP-02", "QT-TP-03"]
        assert [d.code for d, _r in tp.documents] == ["QT-TP-01", "QT-TP-02", "QT-TP-03",
                                                       "QT-TP-04", "QT-TP-06"]
        assert dict(tp.documents)[next(d for d, _r in tp.documents
                                       if d.code == "QT-TP-06")].label == "01"
        assert figures(org) == {"documents": 6, "reviews_done": 2, "reviews_overdue": 2,
                                "audits": 2, "findings": {"major": 1, "minor": 2,
                                                          "observation": 1},
                                "opened": 4, "closed": 1, "overdue": 2}
        h2 = queries.six_monthly(half_year(2026, 2), None)
        assert len(h2.audits) == 1 and len(h2.opened) == 1


# The PDF in two languages; its figures are counted on both databases by the tests above.
@pytest.mark.one_database
def test_pdf_in_each_language_carries_sections_figures_and_vietnamese(app, make, login):
    case = build_half_year(app, make)
    client = app.test_client()
    login(client, make.user(roles=["auditor"]).email)
    texts = {}
    for lang in ("vi", "en"):
        response = client.get(f"/reports/six-monthly/department/{case.tp.id}.pdf"
                              f"?period=2026-H1&lang={lang}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        texts[lang] = pdf_text(response.data)
    assert "Quy trình cấp giấy chứng nhận quyền sử dụng đất" in texts["vi"]
    assert "Quy trình cấp giấy chứng nhận quyền sử dụng đất" in texts["en"]
    assert "Documents in force: 5" in texts["en"]
    assert "Opened in the period: 4" in texts["en"]
    assert "Overdue at the end of the period: 2" in texts["en"]
    assert "Tài liệu có hiệu lực: 5" in texts["vi"]
    assert "Documents in force" not in texts["vi"]
    # In Vietnamese, a document in the state's format (core.pdf.state_format).
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "/BC-UBND", "BÁO CÁO", "Nơi nhận:"):
        assert part in texts["vi"], part
    assert re.search(r"Thanh Bình, ngày \d\d tháng \d\d? năm 20\d\d", texts["vi"])
    assert "CỘNG HÒA" not in texts["en"]
    for section in ("Periodic reviews", "Internal audits", "Corrective actions",
                    "Shortcomings", "Planned actions"):
        assert section in texts["en"]


@pytest.mark.parametrize("query, status", [
    ("period=2026-H3", 400), ("period=26-H1", 400), ("period=2026-H1&lang=fr", 400),
    ("period=9999-H1", 400)])
def test_bad_input_is_refused_with_a_message(client, as_role, make, query, status):
    as_role("coordinator")
    dept = make.department()
    for path in (f"/reports/six-monthly/department/{dept.id}.pdf",
                 "/reports/six-monthly/organisation.pdf"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == status
    assert client.get("/reports/six-monthly/department/424242?period=2026-H1") \
        .status_code == 404


def test_the_report_opens_on_the_current_half_year_and_reviews_on_the_last_ended():
    assert parse_half_year("", date(2026, 7, 1)).code == "2026-H2"
    assert parse_half_year(None, date(2026, 6, 30)).code == "2026-H1"
    assert previous_half_year(date(2026, 7, 1)).code == "2026-H1"
    assert previous_half_year(date(2026, 6, 30)).code == "2025-H2"
    assert parse_half_year("2026-H2", date(2026, 1, 1)).end == date(2026, 12, 31)


def test_the_organisation_report_without_a_period_shows_the_current_half_year(app, client,
                                                                             as_role):
    as_role("coordinator")
    today = clock.today()
    first = today.month <= 6
    page = client.get("/reports/six-monthly/organisation").get_data(as_text=True)
    assert f"period={today.year}-H{1 if first else 2}" in page
    # Written as an office writes it, never "1/2026" (which reads as January).
    assert f"{'First' if first else 'Second'} half of {today.year}" in page
    with app.test_request_context(), force_locale("vi"):
        assert half_year(2026, 1).title == "6 tháng đầu năm 2026"
        assert half_year(2026, 2).title == "6 tháng cuối năm 2026"


def test_a_head_reads_only_their_own_department(client, make, login):
    mine, theirs = make.department(), make.department()
    head = make.user(departments=[(mine.id, "department_head")])
    login(client, head.email)
    assert client.get(f"/reports/six-monthly/department/{mine.id}").status_code == 200
    assert client.get(f"/reports/six-monthly/department/{theirs.id}").status_code == 403
    assert client.get("/reports/six-monthly/organisation").status_code == 403
    assert client.get("/reports/").status_code == 200


def test_notes_are_saved_shown_printed_and_audited(app, client, make, login):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    login(client, coordinator.email)
    form = {"department_id": dept.id, "period": "2026-H1",
            "shortcomings": "Cơ sở vật chất còn thiếu; năng lực cán bộ chưa đồng đều",
            "planned_actions": "Tập huấn nghiệp vụ ISO cho cán bộ một cửa",
            "version": 0}  # as the page offers it while the half-year has no notes
    response = client.post("/reports/six-monthly/notes", data=form)
    assert response.status_code == 302
    page = client.get(f"/reports/six-monthly/department/{dept.id}?period=2026-H1")
    assert "năng lực cán bộ chưa đồng đều" in page.get_data(as_text=True)
    form.update(shortcomings="Truyền thông với người dân còn yếu", version=1)
    assert client.post("/reports/six-monthly/notes", data=form).status_code == 302
    form.update(shortcomings="stale", version=1)
    assert client.post("/reports/six-monthly/notes", data=form).status_code == 409
    pdf = client.get(f"/reports/six-monthly/department/{dept.id}.pdf?period=2026-H1&lang=vi")
    text = pdf_text(pdf.data)
    assert "Truyền thông với người dân còn yếu" in text
    assert "Tập huấn nghiệp vụ ISO cho cán bộ một cửa" in text
    org = {**form, "department_id": 0, "shortcomings": "Kinh phí hạn chế", "version": 0}
    assert client.post("/reports/six-monthly/notes", data=org).status_code == 302
    assert "Kinh phí hạn chế" in client.get(
        "/reports/six-monthly/organisation?period=2026-H1").get_data(as_text=True)
    from compliance.audit_trail.models import AuditEvent

    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action)
                                     .where(AuditEvent.entity_type == "report_note")
                                     .order_by(AuditEvent.seq)).all()
    assert actions == ["report_note.create", "report_note.update", "report_note.create"]
    too_long = {**form, "shortcomings": "x" * 1_000_000, "version": 2}
    assert client.post("/reports/six-monthly/notes", data=too_long).status_code == 400
