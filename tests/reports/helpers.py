"""A management review with one open action, made through the same services the pages use."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.reports import services


def review_ids(app, make, endpoint: str = "reports.reviews.") -> SimpleNamespace:
    """A review and an open action (only for the routes that need one)."""
    if not endpoint.startswith("reports.reviews."):
        return SimpleNamespace()
    owner = make.user(name="Trần Minh Thư")
    with app.app_context(), write_intent():
        review = services.create_review(None, held_on=date(2026, 1, 15),
                                        period_start=date(2025, 7, 1),
                                        period_end=date(2025, 12, 31),
                                        chair="Chủ tịch UBND huyện", summary="Hệ thống phù hợp",
                                        check=False)
        action = services.add_action(None, review, description="Rà soát quy trình một cửa",
                                     owner_id=owner.id, due_on=date(2026, 3, 31), check=False)
        db.session.commit()
        return SimpleNamespace(review_id=review.id, action_id=action.id)


def local(year, month, day, hour=0, minute=0):
    """An instant in the organisation's time zone (the demo's: Asia/Ho_Chi_Minh)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def document(department_id: int, owner_id: int, code: str, effective: date, *,
             title: str = "Quy trình tiếp nhận hồ sơ một cửa", interval: int = 12,
             superseded_at=None, successor: date | None = None):
    """A document with revision 01 in force from `effective` (inside an app context); its
    next review date is set as coming into force sets it."""
    from compliance.core.db import utcnow
    from compliance.documents.dates import add_months
    from compliance.documents.models import Document, Revision

    doc = Document(code=code, doc_type="procedure", department_id=department_id,
                   title_vi=title, title_en=title, owner_id=owner_id, status="effective",
                   review_interval_months=interval,
                   next_review_date=add_months(successor or effective, interval))
    db.session.add(doc)
    db.session.flush()
    common = {"blob_sha256": "0" * 64, "file_size": 1, "file_kind": "pdf",
              "filename": "qt.pdf", "change_summary": "Ban hành", "author_id": owner_id,
              "created_at": utcnow()}
    db.session.add(Revision(document_id=doc.id, number=1, label="01",
                            status="superseded" if superseded_at else "effective",
                            effective_date=effective, superseded_at=superseded_at, **common))
    if successor:
        db.session.add(Revision(document_id=doc.id, number=2, label="02", status="effective",
                                effective_date=successor, **common))
    db.session.flush()
    return doc


def periodic_review(document_id: int, reviewer_id: int, when, outcome: str = "no_change"):
    """A periodic review recorded at a given instant; "no change" moves the next review date
    as the review service does."""
    from compliance.documents.dates import add_months
    from compliance.documents.models import Document, PeriodicReview

    db.session.add(PeriodicReview(document_id=document_id, reviewer_id=reviewer_id,
                                  outcome=outcome, comment="Rà soát định kỳ",
                                  reviewed_at=when))
    if outcome == "no_change":
        document = db.session.get(Document, document_id)
        document.next_review_date = add_months(when.date(), document.review_interval_months)
    db.session.flush()


def reported_audit(coordinator, lead_id: int, department_id: int, reported_at, grades=()):
    """An audit reported at a given instant with findings of the given grades."""
    from compliance.audits import services as audit_services
    from compliance.audits.models import Finding
    from compliance.core.db import utcnow
    from tests.audits.helpers import clause_ids_in_session

    programme = audit_services.create_programme(
        coordinator, title="Chương trình đánh giá", period_start=date(2025, 1, 1),
        period_end=date(2027, 12, 31))
    audit = audit_services.plan_audit(
        coordinator, programme, department_id=department_id,
        clause_ids=clause_ids_in_session("7.5.1"), process_ids=[],
        criteria="TCVN ISO 9001:2015", scope_note="", planned_start=reported_at.date(),
        planned_end=reported_at.date(), lead_auditor_id=lead_id, team_ids=[])
    audit.status, audit.reported_at, audit.report_signer_name = "reported", reported_at, "Lead"
    for number, grade in enumerate(grades, start=1):
        db.session.add(Finding(audit_id=audit.id, number=number, grade=grade,
                               description=f"Phát hiện {number}", created_by_id=lead_id,
                               created_at=utcnow()))
    db.session.flush()
    return audit


def annual_target(app, make, endpoint: str, signer_id: int | None = None) -> SimpleNamespace:
    """A draft annual report (signed by `signer_id` when named) for the routes of the annual
    report; nothing for other routes."""
    from compliance.auth.models import User
    from compliance.reports.annual import services as annual

    if not endpoint.startswith("reports.annual."):
        return SimpleNamespace()
    coordinator = make.user(roles=["coordinator"])
    with app.app_context(), write_intent():
        # One report a year: each world drafts a year of its own.
        count = db.session.scalar(db.text("SELECT count(*) FROM annual_report"))
        row = annual.draft(db.session.get(User, coordinator.id), 2000 + count)
        row.signer_id = signer_id
        db.session.commit()
        return SimpleNamespace(report_id=row.id, annual_version=row.version)
