"""People and an audit in a given state, made through the same services the pages use."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from compliance.audits import services
from compliance.audits.models import Question
from compliance.audits.services import conduct, findings
from compliance.auth.models import User
from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db
from compliance.org.models import Clause
from tests.documents.helpers import pdf_bytes


def clause_ids(app, *numbers: str) -> list[int]:
    """Ids of ISO clauses by number."""
    with app.app_context():
        rows = dict(db.session.execute(select(Clause.number, Clause.id)
                                       .where(Clause.number.in_(numbers))).all())
    return [rows[n] for n in numbers]


def clause_ids_in_session(*numbers: str) -> list[int]:
    """Clause ids by number, inside an app context already pushed."""
    rows = dict(db.session.execute(select(Clause.number, Clause.id)
                                   .where(Clause.number.in_(numbers))).all())
    return [rows[n] for n in numbers]


def cast(make):
    """An audited department with its head, a coordinator, a lead auditor and a team member."""
    dept = make.department(code="TP")
    other = make.department(code="NV")
    return SimpleNamespace(
        dept=dept, other=other,
        head=make.user(name="Đặng Ngọc Lan", departments=[(dept.id, "department_head")]),
        coordinator=make.user(name="Trần Minh Thư", roles=["coordinator"]),
        lead=make.user(name="Phạm Hồng Nhung", roles=["auditor"],
                       departments=[(other.id, "staff")]),
        member=make.user(name="Bùi Anh Tuấn", roles=["auditor"]),
        insider=make.user(name="Người Trong Phòng", roles=["auditor"],
                          departments=[(dept.id, "staff")]),
    )


def audit_in_state(app, people, state: str = "planned", numbers=("7.5.1", "8.5.1"),
                   finding: str | None = None):
    """A programme and an audit of people.dept, taken to the given state (with a finding of
    the grade given, recorded while it ran); returns ids."""
    clauses = clause_ids(app, *numbers)
    with app.app_context(), write_intent():
        coordinator = db.session.get(User, people.coordinator.id)
        lead = db.session.get(User, people.lead.id)
        programme = services.create_programme(coordinator, title="Chương trình 2026",
                                              period_start=date(2026, 1, 1),
                                              period_end=date(2026, 12, 31))
        audit = services.plan_audit(coordinator, programme, department_id=people.dept.id,
                                    clause_ids=clauses, process_ids=[], criteria="TCVN ISO 9001",
                                    scope_note="", planned_start=date(2026, 6, 1),
                                    planned_end=date(2026, 6, 2), lead_auditor_id=lead.id,
                                    team_ids=[people.member.id])
        if state in ("in_progress", "reported", "closed"):
            conduct.start_audit(lead, audit)
            if finding:
                conduct.raise_finding(lead, audit, grade=finding,
                                      description="Sổ theo dõi chưa cập nhật")
        if state in ("reported", "closed"):
            for item in audit.items:
                conduct.record_result(lead, audit, item, "conforming", "")
            # What sign_report does, without the password.
            audit.summary, audit.status = "Đạt", "reported"
            audit.reported_at, audit.report_signer_name = utcnow(), lead.name
            findings.default_due_dates(audit)
        if state == "closed":
            conduct.close_audit(coordinator, audit)
        if state == "cancelled":
            services.cancel_audit(coordinator, audit, reason="Phòng sáp nhập",
                                  expected_version=audit.version)
        db.session.commit()
        return SimpleNamespace(programme_id=programme.id, audit_id=audit.id,
                               reference=audit.reference, version=audit.version,
                               item_ids=[i.id for i in audit.items],
                               finding_ids=[f.id for f in audit.findings])


# The audit state a route needs to be meaningful; every other audit route gets one in progress.
AUDIT_STATE_FOR = {"audits.conduct.start": "planned", "audits.edit": "planned",
                   "audits.conduct.close": "reported", "audits.conduct.report_pdf": "reported",
                   "audits.findings.respond": "reported"}


def audit_target(app, make, department_id: int, state: str, lead=None, answered=False):
    """Ids for an audit of a department in a state, with an evidence file and a question."""
    lead = lead or make.user(roles=["auditor"])
    coordinator = make.user(roles=["coordinator"])
    people = SimpleNamespace(dept=SimpleNamespace(id=department_id), lead=lead,
                             coordinator=coordinator, member=make.user(roles=["auditor"]))
    ids = audit_in_state(app, people, state)
    with app.app_context(), write_intent():
        evidence_id = finding_id = None
        if ids.item_ids:
            audit = services.get_audit(ids.audit_id)
            item = conduct.get_item(audit, ids.item_ids[0])
            audit.status = "in_progress"  # evidence and findings are added while it runs
            evidence_id = conduct.add_file_evidence(
                db.session.get(User, lead.id), audit, item, io.BytesIO(pdf_bytes()),
                "bang-chung.pdf").id
            # An opportunity for improvement: it raises no corrective action.
            finding_id = conduct.raise_finding(db.session.get(User, lead.id), audit,
                                               grade="ofi", description="Nên số hóa sổ").id
            if answered:
                for each in audit.items:
                    conduct.record_result(db.session.get(User, lead.id), audit, each,
                                          "conforming", "")
            audit.status = state
            db.session.commit()
        question = Question(clause_id=clause_ids_in_session("9.2")[0], text_vi="Câu hỏi?",
                            text_en="Question?")
        db.session.add(question)
        db.session.commit()
        question_id = question.id
        audit_version = services.get_audit(ids.audit_id).version
    return SimpleNamespace(programme_id=ids.programme_id, audit_id=ids.audit_id,
                           audit_version=audit_version,
                           item_id=ids.item_ids[0] if ids.item_ids else 0,
                           evidence_id=evidence_id or 0, finding_id=finding_id or 0,
                           question_id=question_id or 0,
                           which="opening", clause_id=clause_ids(app, "9.2")[0], grade_code="minor")
