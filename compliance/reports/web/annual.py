"""Child blueprint `reports.annual`: the annual reports (list, drafting a year), the template
(coordinators), a report's preview and draft, its signature (the person named) and its PDF."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from compliance.audit_trail.readable import history_of
from compliance.auth.reauth import attempt_limit
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.http import attachment, form_error, render_form
from compliance.core.storage import get_store
from compliance.org import queries as org_queries
from compliance.org.labels import NONE_CHOSEN
from compliance.reports import rules
from compliance.reports.annual import services, template
from compliance.reports.annual.figures import FIGURES
from compliance.reports.annual.forms import (
    AnnualForm,
    DraftAnnualForm,
    SignAnnualForm,
    TemplateForm,
)
from compliance.reports.annual.models import AnnualReport
from compliance.reports.annual.pdf import render_annual, sections_of

bp = Blueprint("annual", __name__, url_prefix="/reports/annual")
PAGE = "reports/annual.html"
TEMPLATE_PAGE = "reports/annual_template.html"


def _ensure_read() -> None:
    rules.ensure(rules.reads_every_report(current_user),
                 _("The annual report is read by coordinators and auditors."))


def _ensure_manage() -> None:
    rules.ensure(rules.may_edit_notes(current_user),
                 _("Only an ISO coordinator writes the annual report."))


def _list(form: DraftAnnualForm):
    rows = db.session.scalars(select(AnnualReport).order_by(AnnualReport.year.desc())).all()
    return render_form("reports/annual_index.html", form, rows=rows,
                       may_manage=rules.may_edit_notes(current_user))


@bp.get("/", endpoint="index")
@login_required
def index():
    """Every year's report, and the form to draft one."""
    _ensure_read()
    return _list(DraftAnnualForm(formdata=None, year=clock.today().year))


@bp.post("/new", endpoint="draft")
@login_required
def draft():
    """Draft the report of a year from the template."""
    _ensure_manage()
    form = DraftAnnualForm()
    if not form.validate_on_submit():
        return _list(form)
    try:
        row = services.draft(current_user, form.year.data)
    except DomainError as error:
        return form_error(form, error, "reports/annual_index.html",
                          rows=db.session.scalars(select(AnnualReport)).all(), may_manage=True)
    return redirect(url_for("reports.annual.page", report_id=row.id))


@bp.route("/template", methods=["GET", "POST"], endpoint="template")
@login_required
def edit_template():
    """The sections every new report follows (coordinators change them)."""
    _ensure_read()
    saved = template.current()
    form = TemplateForm()
    context = {"figures": FIGURES, "may_manage": rules.may_edit_notes(current_user),
               "history": history_of("annual_report_template", saved.id, limit=50)
               if saved else []}
    if not form.is_submitted():
        form.sections.data = template.as_text(template.sections())
        form.version.data = saved.version if saved else 0
        return render_form(TEMPLATE_PAGE, form, **context)
    _ensure_manage()
    if not form.validate():
        return render_form(TEMPLATE_PAGE, form, **context)
    try:
        template.save(current_user, form.sections.data, form.version.data)
    except DomainError as error:
        return form_error(form, error, TEMPLATE_PAGE, **context)
    flash(_("Saved."), "success")
    return redirect(url_for("reports.annual.template"))


def _forms(row: AnnualReport, form: AnnualForm | None = None,
           sign_form: SignAnnualForm | None = None) -> tuple[AnnualForm, SignAnnualForm]:
    if form is None:
        form = AnnualForm(obj=row, formdata=None)
        form.version.data = row.version
        form.signer_id.data = row.signer_id or 0
        for text in row.paragraph_list():
            form.paragraphs.append_entry(text)
    # A posted form short of a section's text (a tampered or stale page) still draws every
    # section; the service refuses the save as stale.
    while len(form.paragraphs) < len(row.section_list()):
        form.paragraphs.append_entry("")
    form.signer_id.choices = [(0, NONE_CHOSEN)] + [
        (u.id, u.name) for u in org_queries.active_users()]
    if sign_form is None:
        sign_form = SignAnnualForm(formdata=None)
        sign_form.version.data = row.version
    return form, sign_form


def _context(row: AnnualReport, form=None, sign_form=None) -> dict:
    form, sign_form = _forms(row, form, sign_form)
    return {"row": row, "form": form, "sign_form": sign_form,
            "sections": sections_of(row, services.figures_of(row, clock.today())),
            "may_manage": rules.may_edit_notes(current_user) and row.state == "draft",
            "may_sign": row.state == "draft" and row.signer_id == current_user.id,
            "history": history_of("annual_report", row.id, limit=100)}


def _open(report_id: int) -> AnnualReport:
    row = services.get_report(current_user, report_id)
    if row.signer_id != current_user.id:
        _ensure_read()
    return row


@bp.route("/<int:report_id>", methods=["GET", "POST"], endpoint="page")
@login_required
def page(report_id: int):
    """One report: its preview; its draft is written here."""
    row = _open(report_id)
    form = AnnualForm()
    if not form.is_submitted():
        return render_template(PAGE, **_context(row))
    _ensure_manage()
    posted = list(form.paragraphs.data)  # as sent: the page below pads what is missing
    context = {k: v for k, v in _context(row, form).items() if k != "form"}
    if not form.validate():
        return render_form(PAGE, form, **context)
    try:
        services.edit(current_user, row, form.version.data, paragraphs=posted,
                      signer_id=form.signer_id.data or None, symbol=form.symbol.data,
                      signer_title=form.signer_title.data, recipients=form.recipients.data,
                      superior=form.superior.data or "")
    except DomainError as error:
        return form_error(form, error, PAGE, **context)
    flash(_("Saved."), "success")
    return redirect(url_for("reports.annual.page", report_id=row.id))


@bp.post("/<int:report_id>/sign", endpoint="sign")
@login_required
@attempt_limit("annual_report.sign", "annual_report", "report_id")
def sign(report_id: int):
    """Sign and issue the report with the password again."""
    row = _open(report_id)
    services.ensure_signer(current_user, row)
    form = SignAnnualForm()
    context = {k: v for k, v in _context(row, sign_form=form).items() if k != "form"}
    if not form.validate_on_submit():
        return render_template(PAGE, form=_forms(row)[0], **context), 400
    try:
        services.sign(current_user, row, form.version.data, credential=form.password.data,
                      today=clock.today())
    except DomainError as error:
        if error.field != "password":
            raise
        form.password.errors = [error.message]
        return render_template(PAGE, form=_forms(row)[0], **context), error.status
    flash(_("The report is signed and issued."), "success")
    return redirect(url_for("reports.annual.page", report_id=row.id))


@bp.get("/<int:report_id>/pdf", endpoint="pdf")
@login_required
def pdf(report_id: int):
    """The issued report as stored; a draft as it would be issued today."""
    row = _open(report_id)
    stem = f"bao-cao-iso-nam-{row.year}"
    if row.pdf_sha256:
        return attachment(get_store().open(row.pdf_sha256), "pdf", stem)
    data = render_annual(row, row.signer.name if row.signer else "",
                         services.figures_of(row, clock.today()))
    return attachment(data, "pdf", stem)
