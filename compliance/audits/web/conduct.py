"""An audit's page and everything recorded from it: checklist, evidence, findings, meetings,
report; endpoints `audits.conduct.<view>`."""

from __future__ import annotations

from flask import Blueprint, Response, flash, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.audits import report, rules
from compliance.audits.models import Evidence
from compliance.audits.services import conduct
from compliance.audits.web.page import DETAIL, back, invalid, page, readable, refused, sent
from compliance.auth.reauth import attempt_limit
from compliance.core import clock
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.core.http import original_file

bp = Blueprint("conduct", __name__, url_prefix="/<int:audit_id>")


@bp.get("/")
@login_required
def detail(audit_id: int):
    """The audit's page: scope, team, state, meetings, checklist, findings, history."""
    audit = readable(audit_id)
    return render_template(DETAIL, **page(audit))


@bp.post("/start")
@login_required
def start(audit_id: int):
    """Begin the audit and build its checklist."""
    audit = readable(audit_id, for_update=True)
    conduct.start_audit(current_user, audit)
    flash(_("Audit started; the checklist is ready."), "success")
    return back(audit)


@bp.post("/items")
@login_required
def add_item(audit_id: int):
    """Add a question by hand."""
    audit = readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    form = sent("item", audit)
    if not form.validate_on_submit():
        return invalid(audit, "item", form)
    try:
        conduct.add_item(current_user, audit, form.clause_id.data, form.question_vi.data,
                         form.question_en.data)
    except DomainError as error:
        return refused(audit, "item", form, error)
    return back(audit, "#checklist")


@bp.post("/items/<int:item_id>/result")
@login_required
def result(audit_id: int, item_id: int):
    """Record the verdict on one checklist item."""
    audit = readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    item = conduct.get_item(audit, item_id)
    form = sent("result", audit)
    if not form.validate_on_submit():
        return invalid(audit, "result", form, item_id=item.id)
    try:
        conduct.record_result(current_user, audit, item, form.result.data, form.notes.data)
    except DomainError as error:
        return refused(audit, "result", form, error, item_id=item.id)
    return back(audit, f"#item-{item.id}")


@bp.post("/items/<int:item_id>/evidence/document")
@login_required
def document_evidence(audit_id: int, item_id: int):
    """Link the revision in force of a controlled document."""
    audit = readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    item = conduct.get_item(audit, item_id)
    form = sent("document", audit)
    if not form.validate_on_submit():
        return invalid(audit, "document", form, item_id=item.id)
    try:
        conduct.add_document_evidence(current_user, audit, item, form.document_id.data)
    except DomainError as error:
        return refused(audit, "document", form, error, item_id=item.id)
    return back(audit, f"#item-{item_id}")


@bp.post("/items/<int:item_id>/evidence/file")
@login_required
def file_evidence(audit_id: int, item_id: int):
    """Upload an evidence file (checked by content, stored by hash)."""
    audit = readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    item = conduct.get_item(audit, item_id)
    form = sent("file", audit)
    if not form.validate_on_submit():
        return invalid(audit, "file", form, item_id=item.id)
    upload = form.file.data
    try:
        conduct.add_file_evidence(current_user, audit, item, upload.stream, upload.filename)
    except DomainError as error:
        return refused(audit, "file", form, error, item_id=item.id)
    return back(audit, f"#item-{item_id}")


@bp.get("/evidence/<int:evidence_id>")
@login_required
def evidence_file(audit_id: int, evidence_id: int):
    """Download an uploaded evidence file."""
    audit = readable(audit_id)
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.item.audit_id != audit.id or not evidence.blob_sha256:
        raise NotFound(_("No such evidence file."))
    return original_file(evidence.blob_sha256, evidence.file_kind,
                         f"{audit.reference}-evidence-{evidence.id}")


@bp.post("/findings")
@login_required
def finding(audit_id: int):
    """Record a graded finding."""
    audit = readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    form = sent("finding", audit)
    if not form.validate_on_submit():
        return invalid(audit, "finding", form)
    try:
        conduct.raise_finding(current_user, audit, grade=form.grade.data,
                              description=form.description.data,
                              clause_id=form.clause_id.data or None, item_id=form.item_id.data)
    except DomainError as error:
        return refused(audit, "finding", form, error)
    flash(_("Finding recorded."), "success")
    return back(audit, "#findings")


@bp.post("/meetings/<any(opening, closing):which>")
@login_required
def meeting(audit_id: int, which: str):
    """Date and attendees of the opening or closing meeting."""
    audit = readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    form = sent("meeting", audit)
    if not form.validate_on_submit():
        return invalid(audit, "meeting", form, which=which)
    # The time typed is the organisation's wall-clock time.
    held_at = form.held_at.data.replace(tzinfo=clock.zone())
    try:
        conduct.record_meeting(current_user, audit, which, held_at, form.attendees.data)
    except DomainError as error:
        return refused(audit, "meeting", form, error, which=which)
    return back(audit, "#meetings")


@bp.post("/report/sign")
@login_required
@attempt_limit("audit.report_signed", "audit", "audit_id")
def sign_report(audit_id: int):
    """The lead auditor signs the report off and issues it."""
    audit = readable(audit_id, for_update=True)
    rules.ensure_sign_report(current_user, audit)
    form = sent("report", audit)
    if not form.validate_on_submit():
        return invalid(audit, "report", form)
    try:
        conduct.sign_report(current_user, audit, credential=form.password.data,
                            summary=form.summary.data)
    except DomainError as error:
        return refused(audit, "report", form, error)
    flash(_("Report signed and issued to the department."), "success")
    return back(audit)


@bp.post("/close")
@login_required
def close(audit_id: int):
    """Close a reported audit."""
    audit = readable(audit_id, for_update=True)
    conduct.close_audit(current_user, audit)
    flash(_("Audit closed."), "success")
    return back(audit)


@bp.get("/report.pdf")
@login_required
def report_pdf(audit_id: int):
    """The audit report as PDF, in the reader's language (a read: no write lock is held)."""
    audit = readable(audit_id)
    if audit.status not in rules.STATES_FOR["report_pdf"]:
        raise DomainError(_("The report is not signed yet."), status=409)
    return Response(report.render(audit, str(get_locale())), mimetype="application/pdf",
                    headers={"Content-Disposition":
                             f'attachment; filename="{audit.reference}-report.pdf"'})
