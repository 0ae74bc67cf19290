"""The demo's quality system at work: documents in force and in review (with the office
procedure of demo_office, revised once), an audit reported with a major finding and its
corrective action, an audit coming up. Dates follow today, so the reminders and *My work*
have something to show on the first start."""

from __future__ import annotations

import functools
import io
from datetime import date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from compliance import demo_office
from compliance.audits import services as audits
from compliance.audits.services import conduct
from compliance.auth.models import User
from compliance.capa import services as capa
from compliance.capa.models import CorrectiveAction
from compliance.core.extensions import db
from compliance.core.pdf import html_to_pdf
from compliance.documents import services as documents
from compliance.documents.services import approval
from compliance.org.models import Clause

# (department, type, Vietnamese title, English title, owner, public, days to the review)
DOCUMENTS = [
    ("TCKH", "procedure", "Quy trình thẩm định dự toán ngân sách",
     "Budget estimate appraisal procedure", "phuc.le", False, 5),
    ("TCKH", "procedure", "Quy trình cấp giấy chứng nhận đăng ký hộ kinh doanh",
     "Household business registration procedure", "phuc.le", True, -10),
    ("VP", "manual", "Sổ tay chất lượng", "Quality manual", "hanh.vo", False, 200),
    ("VP", "policy", "Chính sách chất lượng", "Quality policy", "hanh.vo", True, 300),
    ("TP", "procedure", "Quy trình chứng thực bản sao từ bản chính",
     "Certified copies of originals procedure", "lan.dang", True, 150),
    ("NV", "procedure", "Quy trình tuyển dụng công chức", "Civil servant recruitment procedure",
     "tuan.bui", False, 90),
    ("TNMT", "procedure", "Quy trình cấp giấy chứng nhận quyền sử dụng đất",
     "Land use right certificate procedure", "khoa.huynh", True, 45),
]
IN_REVIEW = ("TCKH", "work_instruction", "Hướng dẫn lưu trữ hồ sơ tài chính",
             "Financial records archiving instruction", "phuc.le")


# The same text gives the same document: a demo seeded again in the same process (into a
# second database; the tests seed it often) reuses the rendering, a tenth of a second or more
# of WeasyPrint each. At most a few dozen small PDFs are kept.
@functools.lru_cache(maxsize=64)
def document_pdf(code: str, title: str, english: str) -> bytes:
    """A short demo document as a PDF: its code and titles over a generic body."""
    return html_to_pdf(f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 11pt }} h1 {{ font-size: 16pt }}
</style></head><body><h1>{escape(code)} — {escape(title)}</h1><p><em>{escape(english)}</em></p>
<h2>1. Mục đích</h2><p>Quy định trình tự, trách nhiệm và hồ sơ cho công việc “{escape(title)}”
theo TCVN ISO 9001:2015.</p><h2>2. Phạm vi</h2><p>Áp dụng trong đơn vị và các bộ phận liên
quan.</p><h2>3. Nội dung</h2><ol><li>Tiếp nhận hồ sơ và kiểm tra tính đầy đủ.</li>
<li>Thẩm định, trình ký.</li><li>Trả kết quả và lưu hồ sơ.</li></ol>
<p>Tài liệu mẫu của bản trình diễn.</p></body></html>""")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), ZoneInfo(current_app.config["ORG_TIMEZONE"]))


def load(people: dict[str, User], departments: dict, password: str, today: date) -> None:
    """Documents, audits and a corrective action around today."""
    coordinator = people["thu.tran"]
    for dept, kind, vi, en, owner, public, review_in in DOCUMENTS:
        _effective_document(people, coordinator, departments[dept], kind, vi, en,
                            people[owner], public, review_in, password, today)
    dept, kind, vi, en, owner = IN_REVIEW
    document = documents.create_document(
        coordinator, doc_type=kind, department_id=departments[dept].id, title_vi=vi,
        title_en=en, owner_id=people[owner].id, review_interval_months=12, is_public=False)
    revision = documents.upload_revision(coordinator, document, io.BytesIO(
        document_pdf(document.code, vi, en)), "huong-dan.pdf", "Ban hành lần đầu")
    documents.submit_for_review(coordinator, document, revision)
    demo_office.load(people, departments["VP"], password, today)
    _audits(people, departments, password, today)


def _effective_document(people, coordinator, department, kind, vi, en, owner, public,
                        review_in, password, today) -> None:
    author = owner if kind != "policy" else coordinator
    signer = coordinator if author is not coordinator else people["admin"]
    document = documents.create_document(
        author, doc_type=kind, department_id=department.id, title_vi=vi, title_en=en,
        owner_id=owner.id, review_interval_months=12, is_public=public)
    revision = documents.upload_revision(author, document, io.BytesIO(
        document_pdf(document.code, vi, en)), "tai-lieu.pdf", "Ban hành lần đầu")
    documents.submit_for_review(author, document, revision)
    approval.sign_revision(signer, document, revision, meaning="approved", credential=password,
                           today=today)
    # The demo wants reviews at chosen distances from today, due soon and overdue included.
    document.next_review_date = today + timedelta(days=review_in)


def _clause_ids(*numbers: str) -> list[int]:
    return list(db.session.scalars(select(Clause.id).where(Clause.number.in_(numbers))))


def _audits(people, departments, password: str, today: date) -> None:
    coordinator, lead = people["thu.tran"], people["nhung.pham"]
    programme = audits.create_programme(
        coordinator, title=f"Chương trình đánh giá nội bộ {today.year}",
        period_start=today - timedelta(days=180), period_end=today + timedelta(days=180))
    done = audits.plan_audit(
        coordinator, programme, department_id=departments["TP"].id,
        clause_ids=_clause_ids("7.5.3", "8.5.1"), process_ids=[],
        criteria="TCVN ISO 9001:2015; quy trình của phòng", scope_note="",
        planned_start=today - timedelta(days=30), planned_end=today - timedelta(days=29),
        lead_auditor_id=lead.id, team_ids=[])
    conduct.start_audit(lead, done)
    conduct.record_meeting(lead, done, "opening", _at(today - timedelta(days=30), 8),
                           "Đặng Ngọc Lan, Phạm Hồng Nhung")
    for number, item in enumerate(done.items):
        conduct.record_result(lead, done, item, "major" if number == 0 else "conforming",
                              "Sổ chứng thực tháng trước chưa được lưu" if number == 0 else "")
    conduct.raise_finding(lead, done, grade="major", item_id=done.items[0].id,
                          description="Hồ sơ chứng thực không được lưu trữ theo quy định "
                                      "(điều 7.5.3).")
    conduct.record_meeting(lead, done, "closing", _at(today - timedelta(days=29), 16),
                           "Đặng Ngọc Lan, Phạm Hồng Nhung")
    conduct.sign_report(lead, done, credential=password,
                        summary="Hệ thống được duy trì; một điểm không phù hợp nặng.")
    _corrective_action(people, done, today)
    audits.plan_audit(
        coordinator, programme, department_id=departments["TCKH"].id,
        clause_ids=_clause_ids("7.5", "8.2"), process_ids=[],
        criteria="TCVN ISO 9001:2015", scope_note="",
        planned_start=today + timedelta(days=10), planned_end=today + timedelta(days=11),
        lead_auditor_id=lead.id, team_ids=[coordinator.id])


def _corrective_action(people, audit, today: date) -> None:
    head = people["lan.dang"]
    ca = db.session.scalar(select(CorrectiveAction).where(
        CorrectiveAction.finding_id == audit.findings[0].id))
    capa.contain(head, ca, correction="Đã bổ sung hồ sơ còn thiếu vào sổ lưu",
                 corrected_on=today - timedelta(days=25), today=today,
                 expected_version=ca.version)
    capa.analyse(head, ca, whys=["Hồ sơ không được lưu ngay sau khi chứng thực",
                                 "Chưa phân công người lưu hồ sơ",
                                 "Quy trình không nêu trách nhiệm lưu trữ"],
                 ishikawa="method", extent="Chỉ ở Phòng Tư pháp", affected_ids=[],
                 expected_version=ca.version)
    capa.add_action(head, ca, description="Sửa quy trình: phân công người lưu hồ sơ hằng ngày",
                    owner_id=head.id, due_on=today + timedelta(days=5), today=today)
