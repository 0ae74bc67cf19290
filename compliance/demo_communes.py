"""Two communes of Thanh Bình in the demo, each an organisation of its own under the district
(issue 14): a couple of departments, a coordinator and a head, documents in force, an audit
reported with a finding and its corrective action. Made through the real services, each
inside `tenancy.acting_for` its commune, so their rows, codes and trail are the commune's."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from compliance.audits import services as audits
from compliance.audits.services import conduct
from compliance.auth import services as users
from compliance.auth.models import User
from compliance.capa import services as capa
from compliance.capa.models import CorrectiveAction
from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.demo_content import document_pdf
from compliance.documents import services as documents
from compliance.documents.services import approval
from compliance.org import organisations
from compliance.org import services as org
from compliance.org.models import Clause, Organisation

# (code, Vietnamese name, English name, e-mail domain, departments, people)
# departments: (code, Vietnamese, English); people: (key, local part, name, global roles,
# department, role there). The first department is where the coordinator sits; the head
# heads the second, which the coordinator audits.
COMMUNES = [
    ("TB-TT", "Ủy ban nhân dân xã Tân Thạnh", "Tân Thạnh Commune People's Committee",
     "tanthanh.example",
     [("VP", "Văn phòng - Thống kê xã", "Commune Office and Statistics"),
      ("TPHT", "Bộ phận Tư pháp - Hộ tịch", "Justice and Civil Status")],
     [("coordinator", "hoa.tran", "Trần Thị Hoa", ("coordinator", "auditor"), "VP", "staff"),
      ("department_head", "dung.le", "Lê Quốc Dũng", (), "TPHT", "department_head")]),
    ("TB-BT", "Ủy ban nhân dân xã Bình Thành", "Bình Thành Commune People's Committee",
     "binhthanh.example",
     [("VP", "Văn phòng - Thống kê xã", "Commune Office and Statistics"),
      ("DCXD", "Bộ phận Địa chính - Xây dựng", "Land Administration and Construction")],
     [("coordinator", "yen.pham", "Phạm Hải Yến", ("coordinator", "auditor"), "VP", "staff"),
      ("department_head", "son.vo", "Võ Thanh Sơn", (), "DCXD", "department_head")]),
]
# (type, Vietnamese title, English title): written by the head for their department,
# approved by the coordinator.
DOCUMENTS = [
    ("procedure", "Quy trình tiếp nhận và giải quyết hồ sơ", "Dossier handling procedure"),
    ("form", "Sổ theo dõi hồ sơ", "Dossier tracking register"),
]


def load(district: Organisation, password: str, today: date) -> list[Organisation]:
    """The two communes under the district, with their small quality systems."""
    made = []
    for code, name_vi, name_en, domain, departments, people in COMMUNES:
        commune = organisations.create_organisation(
            code=code, name_vi=name_vi, name_en=name_en, parent=district,
            time_zone=district.time_zone)
        with tenancy.acting_for(commune.id):
            _system(departments, people, domain, password, today)
        made.append(commune)
    return made


def _system(departments, people, domain: str, password: str, today: date) -> None:
    depts = [org.create_department(None, code, vi, en, check=False)
             for code, vi, en in departments]
    staff = {}
    for key, local, name, roles, dept, role in people:
        user = users.create_user(None, f"{local}@{domain}", name, password, "vi", roles,
                                 check=False)
        users.add_membership(None, user, next(d for d in depts if d.code == dept).id, role,
                             check=False)
        staff[key] = user
    coordinator, head = staff["coordinator"], staff["department_head"]
    for kind, vi, en in DOCUMENTS:
        document = documents.create_document(
            head, doc_type=kind, department_id=depts[1].id, title_vi=vi, title_en=en,
            owner_id=head.id, review_interval_months=12, is_public=True)
        revision = documents.upload_revision(head, document, io.BytesIO(
            document_pdf(document.code, vi, en)), "tai-lieu.pdf", "Ban hành lần đầu")
        documents.submit_for_review(head, document, revision)
        approval.sign_revision(coordinator, document, revision, meaning="approved",
                               credential=password, today=today)
    _audit(coordinator, head, depts[1], password, today)


def _audit(coordinator: User, head: User, department, password: str, today: date) -> None:
    programme = audits.create_programme(
        coordinator, title=f"Chương trình đánh giá nội bộ {today.year}",
        period_start=today - timedelta(days=90), period_end=today + timedelta(days=270))
    audit = audits.plan_audit(
        coordinator, programme, department_id=department.id,
        clause_ids=list(db.session.scalars(select(Clause.id).where(Clause.number == "7.5.3"))),
        process_ids=[], criteria="TCVN ISO 9001:2015", scope_note="",
        planned_start=today - timedelta(days=14), planned_end=today - timedelta(days=14),
        lead_auditor_id=coordinator.id, team_ids=[])
    conduct.start_audit(coordinator, audit)
    for number, item in enumerate(audit.items):
        conduct.record_result(coordinator, audit, item, "minor" if number == 0 else
                              "conforming", "Hồ sơ lưu chưa đánh số trang" if number == 0 else "")
    conduct.raise_finding(coordinator, audit, grade="minor", item_id=audit.items[0].id,
                          description="Hồ sơ lưu trữ chưa được đánh số trang theo quy định.")
    conduct.sign_report(coordinator, audit, credential=password,
                        summary="Hệ thống được duy trì; một điểm không phù hợp nhẹ.")
    ca = db.session.scalar(select(CorrectiveAction).where(
        CorrectiveAction.finding_id == audit.findings[0].id))
    capa.contain(head, ca, correction="Đã đánh số trang các hồ sơ lưu năm nay",
                 corrected_on=today - timedelta(days=10), today=today,
                 expected_version=ca.version)


def logins_lines() -> list[str]:
    """The communes' demo sign-ins, as demo.logins_text prints them."""
    return [f"  {key:<16} {local}@{domain:<{31 - len(local)}} {name} ({code} {dept})"
            for code, _vi, _en, domain, _depts, people in COMMUNES
            for key, local, name, _roles, dept, _role in people]
