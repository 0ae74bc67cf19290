"""Running an audit from its page: checklist, evidence, findings, meetings, report."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from compliance.audit_trail.services import history
from compliance.audits import conduct, grades, report, services
from compliance.audits.forms import (
    RESULT_LABELS,
    STATE_LABELS,
    DocumentEvidenceForm,
    FileEvidenceForm,
    FindingForm,
    ItemForm,
    MeetingForm,
    ReportForm,
    ResultForm,
)
from compliance.audits.models import Evidence
from compliance.audits.rules import may_read
from compliance.auth.reauth import SIGNATURE_LIMIT as SIGN_LIMIT
from compliance.core.errors import DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.core.http import attachment
from compliance.core.storage import get_store

bp = Blueprint("conduct", __name__, url_prefix="/audits/<int:audit_id>")


def _readable(audit_id: int, for_update: bool = False):
    audit = services.get_audit(audit_id, for_update=for_update)
    if not may_read(current_user, audit):
        raise PermissionDenied(_("You may not open this audit."))
    return audit


def _back(audit, anchor: str = ""):
    return redirect(url_for("conduct.detail", audit_id=audit.id) + anchor)


def _choices(form, audit, locale: str) -> None:
    clause_choices = [(0, "—")] + [(c.id, f"{c.number} {c.title(locale)}")
                                   for c in audit.clauses]
    if hasattr(form, "clause_id"):
        form.clause_id.choices = clause_choices
    if hasattr(form, "grade"):
        form.grade.choices = [(g.code, g.name(locale)) for g in grades.all_grades()]
    if hasattr(form, "document_id"):
        from compliance.documents.models import Document

        documents = db.session.scalars(select(Document).where(Document.status == "effective")
                                       .order_by(Document.code)).all()
        form.document_id.choices = [(d.id, f"{d.code} {d.title(locale)}") for d in documents]


@bp.get("/")
@login_required
def detail(audit_id: int):
    """The audit's page: scope, team, state, meetings, checklist, findings, history."""
    audit = _readable(audit_id)
    locale = str(get_locale())
    forms = {"item": ItemForm(), "finding": FindingForm(), "document": DocumentEvidenceForm(),
             "file": FileEvidenceForm(), "result": ResultForm(), "meeting": MeetingForm(),
             "report": ReportForm()}
    for form in forms.values():
        _choices(form, audit, locale)
    recorder = _may_record(audit)
    from compliance.capa.queries import for_findings

    return render_template("audits/detail.html", audit=audit, forms=forms,
                           corrective=for_findings(f.id for f in audit.findings),
                           states=STATE_LABELS, results=RESULT_LABELS, recorder=recorder,
                           grades={g.code: g for g in grades.all_grades()},
                           events=history("audit", audit.id, limit=100))


def _may_record(audit) -> bool:
    try:
        conduct.ensure_auditor(current_user, audit)
    except PermissionDenied:
        return False
    return True


@bp.post("/start")
@login_required
def start(audit_id: int):
    """Begin the audit and build its checklist."""
    audit = _readable(audit_id, for_update=True)
    conduct.start_audit(current_user, audit)
    flash(_("Audit started; the checklist is ready."), "success")
    return _back(audit)


@bp.post("/items")
@login_required
def add_item(audit_id: int):
    """Add a question by hand."""
    audit = _readable(audit_id, for_update=True)
    conduct.ensure_auditor(current_user, audit)
    form = ItemForm()
    _choices(form, audit, str(get_locale()))
    if not form.validate_on_submit():
        raise DomainError(_("Write the question."))
    conduct.add_item(current_user, audit, form.clause_id.data, form.question_vi.data,
                     form.question_en.data)
    return _back(audit, "#checklist")


@bp.post("/items/<int:item_id>/result")
@login_required
def result(audit_id: int, item_id: int):
    """Record the verdict on one checklist item."""
    audit = _readable(audit_id, for_update=True)
    conduct.ensure_auditor(current_user, audit)
    form = ResultForm()
    if not form.validate_on_submit():
        raise DomainError(_("Choose a result."))
    item = conduct.get_item(audit, item_id)
    conduct.record_result(current_user, audit, item, form.result.data, form.notes.data)
    return _back(audit, f"#item-{item.id}")


@bp.post("/items/<int:item_id>/evidence/document")
@login_required
def document_evidence(audit_id: int, item_id: int):
    """Link the revision in force of a controlled document."""
    audit = _readable(audit_id, for_update=True)
    conduct.ensure_auditor(current_user, audit)
    form = DocumentEvidenceForm()
    _choices(form, audit, str(get_locale()))
    if not form.validate_on_submit():
        raise DomainError(_("Choose a document in force."))
    conduct.add_document_evidence(current_user, audit, conduct.get_item(audit, item_id),
                                  form.document_id.data)
    return _back(audit, f"#item-{item_id}")


@bp.post("/items/<int:item_id>/evidence/file")
@login_required
def file_evidence(audit_id: int, item_id: int):
    """Upload an evidence file (checked by content, stored by hash)."""
    audit = _readable(audit_id, for_update=True)
    conduct.ensure_auditor(current_user, audit)
    form = FileEvidenceForm()
    if not form.validate_on_submit():
        raise DomainError(_("Choose a file."))
    upload = form.file.data
    conduct.add_file_evidence(current_user, audit, conduct.get_item(audit, item_id),
                              upload.stream, upload.filename)
    return _back(audit, f"#item-{item_id}")


@bp.get("/evidence/<int:evidence_id>")
@login_required
def evidence_file(audit_id: int, evidence_id: int):
    """Download an uploaded evidence file."""
    audit = _readable(audit_id)
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.item.audit_id != audit.id or not evidence.blob_sha256:
        raise NotFound(_("No such evidence file."))
    return attachment(get_store().read(evidence.blob_sha256), evidence.file_kind,
                    f"{audit.reference}-evidence-{evidence.id}")


@bp.post("/findings")
@login_required
def finding(audit_id: int):
    """Record a graded finding."""
    audit = _readable(audit_id, for_update=True)
    conduct.ensure_auditor(current_user, audit)
    form = FindingForm()
    _choices(form, audit, str(get_locale()))
    if not form.validate_on_submit():
        raise DomainError(_("Choose a grade and describe the finding."))
    item_id = int(form.item_id.data) if (form.item_id.data or "").isdigit() else None
    conduct.raise_finding(current_user, audit, grade=form.grade.data,
                          description=form.description.data,
                          clause_id=form.clause_id.data or None, item_id=item_id)
    flash(_("Finding recorded."), "success")
    return _back(audit, "#findings")


@bp.post("/meetings/<any(opening, closing):which>")
@login_required
def meeting(audit_id: int, which: str):
    """Date and attendees of the opening or closing meeting."""
    audit = _readable(audit_id, for_update=True)
    conduct.ensure_auditor(current_user, audit)
    form = MeetingForm()
    if not form.validate_on_submit():
        raise DomainError(_("Give the date, time and attendees of the meeting."))
    from zoneinfo import ZoneInfo

    from flask import current_app

    held_at = form.held_at.data.replace(tzinfo=ZoneInfo(current_app.config["ORG_TIMEZONE"]))
    conduct.record_meeting(current_user, audit, which, held_at, form.attendees.data)
    return _back(audit, "#meetings")


@bp.post("/report/sign")
@login_required
@SIGN_LIMIT
def sign_report(audit_id: int):
    """The lead auditor signs the report off and issues it."""
    audit = _readable(audit_id, for_update=True)
    if current_user.id != audit.lead_auditor_id:
        raise PermissionDenied(_("Only the lead auditor signs the report."))
    form = ReportForm()
    if not form.validate_on_submit():
        raise DomainError(_("Write the summary and enter your password."))
    conduct.sign_report(current_user, audit, password=form.password.data,
                        summary=form.summary.data)
    flash(_("Report signed and issued to the department."), "success")
    return _back(audit)


@bp.post("/close")
@login_required
def close(audit_id: int):
    """Close a reported audit."""
    audit = _readable(audit_id, for_update=True)
    conduct.close_audit(current_user, audit)
    flash(_("Audit closed."), "success")
    return _back(audit)


@bp.get("/report.pdf")
@login_required
def report_pdf(audit_id: int):
    """The audit report as PDF, in the reader's language."""
    audit = _readable(audit_id)
    if audit.status not in ("reported", "closed"):
        raise DomainError(_("The report is not signed yet."), status=409)
    return Response(report.render(audit, str(get_locale())), mimetype="application/pdf",
                    headers={"Content-Disposition":
                             f'attachment; filename="{audit.reference}-report.pdf"'})
