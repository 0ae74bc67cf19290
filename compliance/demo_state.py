"""The demo's part of what a Vietnamese agency keeps under TCVN ISO 9001:2015 (issue 17): the
administrative procedures in scope with their months of on-time handling, the external
documents the system applies, and the ISO steering committee with its yearly plan."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from compliance.auth.models import User
from compliance.core.extensions import db
from compliance.demo_quality import counts, demo_year
from compliance.demo_quality_data import PROCEDURES
from compliance.documents.external.services import add_external
from compliance.org.models import Process
from compliance.scope import handling
from compliance.scope import services as scope
from compliance.steering import services as steering
from compliance.steering.models import PlanTask, SteeringMember

# (kind, number and symbol, issuing body, date issued, title in Vietnamese, in English)
EXTERNAL = [
    ("decision", "19/2014/QĐ-TTg", "Thủ tướng Chính phủ", date(2014, 3, 5),
     "Quyết định về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia "
     "TCVN ISO 9001 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước",
     "Decision on applying TCVN ISO 9001 in state administrative bodies"),
    ("decree", "30/2020/NĐ-CP", "Chính phủ", date(2020, 3, 5),
     "Nghị định về công tác văn thư", "Decree on clerical work"),
    ("decision", "101/QĐ-BKHCN", "Bộ Khoa học và Công nghệ", date(2019, 1, 21),
     "Quyết định công bố mô hình khung hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
     "Decision publishing the framework model of a TCVN ISO 9001:2015 quality system"),
    ("standard", "TCVN ISO 9001:2015", "Bộ Khoa học và Công nghệ", date(2015, 12, 31),
     "Hệ thống quản lý chất lượng – Các yêu cầu", "Quality management systems – Requirements"),
]
# (name, position, role in the committee, the demo person it is, if one)
MEMBERS = [
    ("Nguyễn Văn An", "Chủ tịch UBND huyện", "head", None),
    ("Trần Minh Thư", "Chánh Văn phòng HĐND và UBND huyện", "secretary", "thu.tran"),
    ("Lê Văn Phúc", "Trưởng phòng Tài chính – Kế hoạch", "member", "phuc.le"),
]
# (task, days from today it is due, done days before today or None)
TASKS = [
    ("Rà soát phạm vi áp dụng và danh mục thủ tục hành chính", -150, 155),
    ("Đánh giá nội bộ lần 1", -120, 118),
    ("Họp xem xét của lãnh đạo 6 tháng đầu năm", -20, None),
    ("Báo cáo tình hình áp dụng hệ thống gửi Sở Khoa học và Công nghệ", 5, None),
    ("Đánh giá nội bộ lần 2", 40, None),
]
DECISION = "Quyết định số 45/QĐ-UBND ngày 10/01/2026 của UBND huyện"


def load(people: dict[str, User], departments: dict, today: date) -> None:
    """Scope with its handling months, external documents, steering committee and plan."""
    coordinator = people["thu.tran"]
    _scope_and_handling(coordinator, today)
    for kind, number, body, issued, vi, en in EXTERNAL:
        add_external(coordinator, department_id=departments["VP"].id, title_vi=vi,
                     title_en=en, today=today, legal_kind=kind, legal_number=number,
                     external_source=body, legal_issued_on=issued, legal_status="in_force",
                     replaced_by_id=None, external_check_date=today + timedelta(days=20),
                     external_checked_on=today - timedelta(days=345))
    for name, position, role, person in MEMBERS:
        steering.add(coordinator, SteeringMember, name=name, position=position,
                     committee_role=role, user_id=people[person].id if person else None,
                     decision=DECISION, appointed_on=date(2026, 1, 10), left_on=None)
    for title, due, done in TASKS:
        steering.add(coordinator, PlanTask, year=today.year, title=title,
                     owner_id=coordinator.id, due_on=today + timedelta(days=due),
                     done_on=today - timedelta(days=done) if done else None, note="",
                     today=today)


def _scope_and_handling(coordinator: User, today: date) -> None:
    """Each demo procedure in scope, and its months of the year so far, as imported."""
    processes = {p.code: p for p in db.session.scalars(
        select(Process).where(Process.kind == "administrative"))}
    for code, _dept, vi, _en, days in PROCEDURES:
        process = processes[code]
        scope.add_entry(coordinator, kind="procedure", name=vi, national_code=code,
                        field="", legal_basis="", time_limit_days=days,
                        department_id=process.department_id, process_id=process.id,
                        document_ids=[])
    year, last_month = demo_year(today)
    records = []
    for index, (code, *_rest) in enumerate(PROCEDURES):
        for month in range(1, last_month + 1):
            received, on_time, late = counts(index, month)
            records.append({"code": code, "month": f"{year:04d}-{month:02d}",
                            "received": received, "on_time": on_time, "late": late,
                            "apologies": late})
    handling.post_months(coordinator, records, replace=False, today=today)
