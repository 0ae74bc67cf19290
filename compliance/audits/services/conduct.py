"""Running an audit: checklist, evidence, findings, meetings, report sign-off, closure.

Signals sent (compliance.core.signals):
- `finding_raised`: sender the new Finding, keyword `actor`; only for a grade that raises a
  corrective action (the corrective-action domain opens one).
- `audit_reported`: sender the Audit, keyword `actor`; once the lead auditor has signed the
  report (notifications tell the heads of the audited department).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from compliance.audit_trail.services import record
from compliance.audits import rules
from compliance.audits.labels import MEETINGS, RESULTS
from compliance.audits.models import Audit, ChecklistItem, Evidence, Finding, FindingGrade, Question
from compliance.audits.services.common import require_state
from compliance.audits.services.findings import default_due_dates
from compliance.auth import reauth
from compliance.core import signals
from compliance.core.db import get_child, utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.files import accept_upload
from compliance.documents.models import Revision
from compliance.org.models import Clause

GENERIC_VI = "Có bằng chứng cho thấy các yêu cầu của điều khoản {number} được đáp ứng không?"
GENERIC_EN = "Is there evidence that the requirements of clause {number} are met?"


def ensure_auditor(actor, audit: Audit) -> None:
    """Only the audit's own auditors (or coordinators) record it, never a member of the
    audited department (the rule is rules.may_conduct)."""
    rules.ensure_conduct(actor, audit)


def _require(audit: Audit, action: str) -> None:
    require_state(audit, action)


def start_audit(actor, audit: Audit) -> Audit:
    """planned → in progress: the checklist is built from the clauses in scope."""
    ensure_auditor(actor, audit)
    _require(audit, "start")
    position, seen = 0, set()
    for clause in audit.clauses:
        # A clause in scope brings its own questions and those of every clause under it;
        # each item keeps its question's own clause (8.5.1 under 8.5) so findings map exactly.
        questions = db.session.scalars(
            select(Question).join(Clause, Clause.id == Question.clause_id)
            .where(Question.organisation_id == audit.organisation_id,
                   Question.active.is_(True), Clause.edition == clause.edition,
                   (Clause.number == clause.number) | Clause.number.like(clause.number + ".%"))
            .order_by(Clause.sort_key, Question.position, Question.id)).all()
        fresh = [q for q in questions if q.id not in seen]
        seen.update(q.id for q in fresh)
        if questions and not fresh:
            continue  # a broader clause in scope already brought these questions
        texts = [(q.clause_id, q.text_vi, q.text_en) for q in fresh] or [
            (clause.id, GENERIC_VI.format(number=clause.number),
             GENERIC_EN.format(number=clause.number))]
        for clause_id, text_vi, text_en in texts:
            position += 1
            audit.items.append(ChecklistItem(clause_id=clause_id, question_vi=text_vi,
                                             question_en=text_en, position=position))
    audit.status, audit.started_at = "in_progress", utcnow()
    db.session.flush()
    record(actor, "audit.start", "audit", audit.id, after={"items": position})
    return audit


def add_item(actor, audit: Audit, clause_id: int | None, question_vi: str,
             question_en: str = "") -> ChecklistItem:
    """A question added by hand during the audit."""
    ensure_auditor(actor, audit)
    _require(audit, "record")
    if not (question_vi or "").strip():
        raise DomainError(_("Write the question."), field="question_vi")
    # One of the audit's clauses in scope, as the page offers: another would fail the
    # foreign key (a 500) or test a clause the audit does not cover.
    if clause_id and clause_id not in {clause.id for clause in audit.clauses}:
        raise DomainError(_("Choose an ISO clause."), field="clause_id")
    position = (db.session.scalar(select(func.max(ChecklistItem.position))
                                  .where(ChecklistItem.audit_id == audit.id)) or 0) + 1
    item = ChecklistItem(audit_id=audit.id, clause_id=clause_id or None,
                         question_vi=question_vi.strip(), question_en=(question_en or "").strip(),
                         position=position)
    db.session.add(item)
    db.session.flush()
    record(actor, "audit.item_add", "audit", audit.id, after={"question": item.question_vi})
    return item


def get_item(audit: Audit, item_id: int) -> ChecklistItem:
    """A checklist item of this audit, or NotFound."""
    return get_child(db.session, ChecklistItem, item_id, _("No such checklist item."),
                     audit_id=audit.id)


def record_result(actor, audit: Audit, item: ChecklistItem, result: str,
                  notes: str) -> ChecklistItem:
    """The auditor's verdict on one checklist item."""
    ensure_auditor(actor, audit)
    _require(audit, "record")
    if result not in RESULTS:
        raise DomainError(_("Choose a result."), field="result")
    before = {"result": item.result, "notes": item.notes}
    item.result, item.notes = result, (notes or "").strip()
    item.answered_by_id, item.answered_at = actor.id, utcnow()
    db.session.flush()
    record(actor, "audit.item_result", "audit", audit.id, before=before,
           after={"item": item.position, "result": result, "notes": item.notes})
    return item


def add_document_evidence(actor, audit: Audit, item: ChecklistItem, document_id: int):
    """Link the revision of a controlled document that is in force now."""
    ensure_auditor(actor, audit)
    _require(audit, "record")
    revision = db.session.scalar(select(Revision).where(
        Revision.document_id == document_id, Revision.status == "effective"))
    if revision is None:
        raise DomainError(_("This document has no revision in force."), field="document_id")
    evidence = Evidence(item_id=item.id, revision_id=revision.id, added_by_id=actor.id,
                        added_at=utcnow())
    db.session.add(evidence)
    db.session.flush()
    record(actor, "audit.evidence_document", "audit", audit.id,
           after={"item": item.position, "document_id": document_id, "revision": revision.label})
    return evidence


def add_file_evidence(actor, audit: Audit, item: ChecklistItem, stream, filename: str):
    """Store an evidence file under the same rules as documents."""
    ensure_auditor(actor, audit)
    _require(audit, "record")
    upload = accept_upload(stream, filename, field="file")
    evidence = Evidence(item_id=item.id, blob_sha256=upload.sha256, file_size=upload.size,
                        file_kind=upload.kind.name, filename=upload.filename,
                        added_by_id=actor.id, added_at=utcnow())
    db.session.add(evidence)
    db.session.flush()
    record(actor, "audit.evidence_file", "audit", audit.id,
           after={"item": item.position, "sha256": upload.sha256, "filename": evidence.filename})
    return evidence


def raise_finding(actor, audit: Audit, *, grade: str, description: str,
                  clause_id: int | None = None, item_id: int | None = None) -> Finding:
    """Record a graded finding; major and minor ones call for corrective action."""
    ensure_auditor(actor, audit)
    _require(audit, "record")
    rule = db.session.get(FindingGrade, (audit.organisation_id, (grade or "")[:16]))
    if rule is None:
        raise DomainError(_("Unknown grade."), field="grade")
    if not (description or "").strip():
        raise DomainError(_("Describe the finding."), field="description")
    if item_id is not None:
        # The item comes from a hidden field: it must be one of this audit's, or the insert
        # fails on its foreign key (a 500) or ties the finding to another audit's item.
        item = get_item(audit, item_id)
        clause_id = clause_id or item.clause_id
    number = (db.session.scalar(select(func.max(Finding.number))
                                .where(Finding.audit_id == audit.id)) or 0) + 1
    finding = Finding(audit_id=audit.id, organisation_id=audit.organisation_id, number=number,
                      grade=grade, clause_id=clause_id,
                      item_id=item_id, description=description.strip(),
                      created_by_id=actor.id, created_at=utcnow())
    db.session.add(finding)
    db.session.flush()
    record(actor, "audit.finding", "audit", audit.id,
           after={"number": number, "grade": grade, "description": finding.description})
    if rule.raises_corrective_action:
        # The corrective-action domain listens; this domain never calls it by name.
        signals.finding_raised.send(finding, actor=actor)
    return finding


def record_meeting(actor, audit: Audit, which: str, held_at: datetime, attendees: str):
    """Date and attendees of the opening or closing meeting."""
    ensure_auditor(actor, audit)
    # Until the audit is closed: the closing meeting often comes after the signed report.
    _require(audit, "meeting")
    if which not in MEETINGS:
        raise DomainError(_("Unknown meeting."))
    setattr(audit, f"{which}_meeting_at", held_at)
    setattr(audit, f"{which}_attendees", (attendees or "").strip())
    db.session.flush()
    record(actor, f"audit.meeting_{which}", "audit", audit.id,
           after={"at": held_at, "attendees": (attendees or "").strip()})


def sign_report(actor, audit: Audit, *, credential: str, summary: str) -> Audit:
    """The lead auditor signs the report off (identity proved again); it goes to the head."""
    rules.ensure_sign_report(actor, audit)
    _require(audit, "sign")
    open_items = sum(1 for item in audit.items if item.result is None)
    if open_items:
        raise DomainError(ngettext("%(num)d checklist item has no result yet.",
                                   "%(num)d checklist items have no result yet.", open_items),
                          status=409)
    proof = reauth.verify(actor, credential, field="password",
                          attempt=reauth.Attempt("audit.report_signed", "audit", audit.id))
    audit.summary = (summary or "").strip()
    audit.status, audit.reported_at, audit.report_signer_name = "reported", utcnow(), actor.name
    default_due_dates(audit)
    db.session.flush()
    record(actor, "audit.report_signed", "audit", audit.id,
           after={"signer": actor.name, "signed_at": audit.reported_at,
                  "findings": len(audit.findings), **proof.record})
    signals.audit_reported.send(audit, actor=actor)
    return audit


def close_audit(actor, audit: Audit) -> Audit:
    """reported → closed, by a coordinator."""
    rules.ensure(rules.may_close(actor, audit))
    _require(audit, "close")
    audit.status, audit.closed_at = "closed", utcnow()
    db.session.flush()
    record(actor, "audit.close", "audit", audit.id, after={"closed_at": audit.closed_at})
    return audit
