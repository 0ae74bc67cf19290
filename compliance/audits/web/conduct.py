"""An audit's page and everything recorded from it: checklist, evidence, findings, meetings,
report; endpoints `audits.conduct.<view>`."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from compliance.audit_trail.services import history
from compliance.audits import report, rules, services
from compliance.audits.forms import (
    DocumentEvidenceForm,
    FileEvidenceForm,
    FindingForm,
    ItemForm,
    MeetingForm,
    ReportForm,
    ResultForm,
)
from compliance.audits.labels import MEETING_LABELS, RESULT_LABELS, STATE_LABELS
from compliance.audits.models import Evidence
from compliance.audits.services import conduct, grades
from compliance.auth.reauth import attempt_limit
from compliance.capa.queries import for_findings
from compliance.core import clock
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.core.http import attachment, form_error
from compliance.core.storage import get_store
from compliance.documents.models import Document

bp = Blueprint("conduct", __name__, url_prefix="/<int:audit_id>")
DETAIL = "audits/detail.html"
FORMS = {"item": ItemForm, "finding": FindingForm, "document": DocumentEvidenceForm,
         "file": FileEvidenceForm, "result": ResultForm, "meeting": MeetingForm,
         "report": ReportForm}


def _readable(audit_id: int, for_update: bool = False):
    return services.get_readable_audit(current_user, audit_id, for_update=for_update)


def _back(audit, anchor: str = ""):
    return redirect(url_for("audits.conduct.detail", audit_id=audit.id) + anchor)


def _choices(form, audit, locale: str) -> None:
    clause_choices = [(0, "—")] + [(c.id, f"{c.number} {c.title(locale)}")
                                   for c in audit.clauses]
    if hasattr(form, "clause_id"):
        form.clause_id.choices = clause_choices
    if hasattr(form, "grade"):
        form.grade.choices = [(g.code, g.name(locale)) for g in grades.all_grades()]
    if hasattr(form, "document_id"):
        documents = db.session.scalars(select(Document).where(Document.status == "effective")
                                       .order_by(Document.code)).all()
        form.document_id.choices = [(d.id, f"{d.code} {d.title(locale)}") for d in documents]


def _sent(name: str, audit):
    """The form this post sent, with the choices it is checked against."""
    form = FORMS[name]()
    _choices(form, audit, str(get_locale()))
    return form


def _page(audit, sent_name: str | None = None, sent=None, *, item_id: int | None = None,
          which: str | None = None) -> dict:
    """What the audit's page shows; a refused form is shown again where it was sent from
    (its checklist item or meeting), with its input and messages; the others are blank."""
    locale = str(get_locale())
    blank = {}
    for name, cls in FORMS.items():
        blank[name] = cls(formdata=None)
        _choices(blank[name], audit, locale)
    forms = {**blank, **({sent_name: sent} if sent_name else {})}
    return {"audit": audit, "forms": forms, "blank": blank, "sent_item": item_id,
            "sent_meeting": which, "open_form": sent_name,
            "corrective": for_findings(f.id for f in audit.findings),
            "states": STATE_LABELS, "results": RESULT_LABELS, "meetings": MEETING_LABELS,
            "actions": rules.allowed_actions(current_user, audit),
            "grades": {g.code: g for g in grades.all_grades()},
            "events": history("audit", audit.id, limit=100)}


def _invalid(audit, name: str, form, **where):
    """The page again, 400, with the form's own messages at its fields."""
    return render_template(DETAIL, **_page(audit, name, form, **where)), 400


def _refused(audit, name: str, form, error: DomainError, **where):
    """A service refusal at the field it concerns (403/404/409 keep their own page)."""
    return form_error(form, error, DETAIL, **_page(audit, name, form, **where))


@bp.get("/")
@login_required
def detail(audit_id: int):
    """The audit's page: scope, team, state, meetings, checklist, findings, history."""
    audit = _readable(audit_id)
    return render_template(DETAIL, **_page(audit))


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
    rules.ensure_conduct(current_user, audit)
    form = _sent("item", audit)
    if not form.validate_on_submit():
        return _invalid(audit, "item", form)
    try:
        conduct.add_item(current_user, audit, form.clause_id.data, form.question_vi.data,
                         form.question_en.data)
    except DomainError as error:
        return _refused(audit, "item", form, error)
    return _back(audit, "#checklist")


@bp.post("/items/<int:item_id>/result")
@login_required
def result(audit_id: int, item_id: int):
    """Record the verdict on one checklist item."""
    audit = _readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    item = conduct.get_item(audit, item_id)
    form = _sent("result", audit)
    if not form.validate_on_submit():
        return _invalid(audit, "result", form, item_id=item.id)
    try:
        conduct.record_result(current_user, audit, item, form.result.data, form.notes.data)
    except DomainError as error:
        return _refused(audit, "result", form, error, item_id=item.id)
    return _back(audit, f"#item-{item.id}")


@bp.post("/items/<int:item_id>/evidence/document")
@login_required
def document_evidence(audit_id: int, item_id: int):
    """Link the revision in force of a controlled document."""
    audit = _readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    item = conduct.get_item(audit, item_id)
    form = _sent("document", audit)
    if not form.validate_on_submit():
        return _invalid(audit, "document", form, item_id=item.id)
    try:
        conduct.add_document_evidence(current_user, audit, item, form.document_id.data)
    except DomainError as error:
        return _refused(audit, "document", form, error, item_id=item.id)
    return _back(audit, f"#item-{item_id}")


@bp.post("/items/<int:item_id>/evidence/file")
@login_required
def file_evidence(audit_id: int, item_id: int):
    """Upload an evidence file (checked by content, stored by hash)."""
    audit = _readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    item = conduct.get_item(audit, item_id)
    form = _sent("file", audit)
    if not form.validate_on_submit():
        return _invalid(audit, "file", form, item_id=item.id)
    upload = form.file.data
    try:
        conduct.add_file_evidence(current_user, audit, item, upload.stream, upload.filename)
    except DomainError as error:
        return _refused(audit, "file", form, error, item_id=item.id)
    return _back(audit, f"#item-{item_id}")


@bp.get("/evidence/<int:evidence_id>")
@login_required
def evidence_file(audit_id: int, evidence_id: int):
    """Download an uploaded evidence file."""
    audit = _readable(audit_id)
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.item.audit_id != audit.id or not evidence.blob_sha256:
        raise NotFound(_("No such evidence file."))
    return attachment(get_store().open(evidence.blob_sha256), evidence.file_kind,
                      f"{audit.reference}-evidence-{evidence.id}")


@bp.post("/findings")
@login_required
def finding(audit_id: int):
    """Record a graded finding."""
    audit = _readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    form = _sent("finding", audit)
    if not form.validate_on_submit():
        return _invalid(audit, "finding", form)
    try:
        conduct.raise_finding(current_user, audit, grade=form.grade.data,
                              description=form.description.data,
                              clause_id=form.clause_id.data or None, item_id=form.item_id.data)
    except DomainError as error:
        return _refused(audit, "finding", form, error)
    flash(_("Finding recorded."), "success")
    return _back(audit, "#findings")


@bp.post("/meetings/<any(opening, closing):which>")
@login_required
def meeting(audit_id: int, which: str):
    """Date and attendees of the opening or closing meeting."""
    audit = _readable(audit_id, for_update=True)
    rules.ensure_conduct(current_user, audit)
    form = _sent("meeting", audit)
    if not form.validate_on_submit():
        return _invalid(audit, "meeting", form, which=which)
    # The time typed is the organisation's wall-clock time.
    held_at = form.held_at.data.replace(tzinfo=clock.zone())
    try:
        conduct.record_meeting(current_user, audit, which, held_at, form.attendees.data)
    except DomainError as error:
        return _refused(audit, "meeting", form, error, which=which)
    return _back(audit, "#meetings")


@bp.post("/report/sign")
@login_required
@attempt_limit("audit.report_signed", "audit", "audit_id")
def sign_report(audit_id: int):
    """The lead auditor signs the report off and issues it."""
    audit = _readable(audit_id, for_update=True)
    rules.ensure_sign_report(current_user, audit)
    form = _sent("report", audit)
    if not form.validate_on_submit():
        return _invalid(audit, "report", form)
    try:
        conduct.sign_report(current_user, audit, credential=form.password.data,
                            summary=form.summary.data)
    except DomainError as error:
        return _refused(audit, "report", form, error)
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
    """The audit report as PDF, in the reader's language (a read: no write lock is held)."""
    audit = _readable(audit_id)
    if audit.status not in rules.STATES_FOR["report_pdf"]:
        raise DomainError(_("The report is not signed yet."), status=409)
    return Response(report.render(audit, str(get_locale())), mimetype="application/pdf",
                    headers={"Content-Disposition":
                             f'attachment; filename="{audit.reference}-report.pdf"'})
