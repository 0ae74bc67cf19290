"""Six-monthly reports: choose a half-year, preview, write notes, download the PDF."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth.permissions import can
from compliance.capa.labels import STATE_LABELS
from compliance.core import clock
from compliance.core.errors import DomainError, PermissionDenied
from compliance.reports import pdfs, queries, services
from compliance.reports.forms import LANGUAGES, NoteForm
from compliance.reports.pdfs import pdf_language
from compliance.reports.periods import parse_half_year, recent_half_years
from compliance.reports.review_views import bp as reviews_bp

bp = Blueprint("reports", __name__, url_prefix="/reports")


def readable_departments(user) -> list:
    """The departments whose report the user may read."""
    return [d for d in queries.departments() if can(user, "reports.read", d.id)]


@bp.get("/")
@login_required
def index():
    """Pick a half-year and a department (or the whole organisation)."""
    departments = readable_departments(current_user)
    if not departments and not can(current_user, "reports.read"):
        raise PermissionDenied(_("You do not have permission to do this."))
    return render_template("reports/index.html", departments=departments,
                           periods=recent_half_years(clock.today()),
                           organisation=can(current_user, "reports.read"))


def _report(department_id: int | None):
    period = parse_half_year(request.args.get("period"), clock.today())
    department = None
    if department_id is not None:
        services.ensure_may_read_report(current_user, department_id)
        department = services.get_department(department_id)
    else:
        services.ensure_may_read_report(current_user, None)
    return queries.six_monthly(period, department)


def _page(department_id: int | None):
    report = _report(department_id)
    form = None
    if can(current_user, "reports.notes"):
        form = NoteForm(formdata=None, obj=report.note, department_id=department_id or 0,
                        period=report.period.code)
    return render_template("reports/six_monthly.html", report=report, form=form,
                           periods=recent_half_years(clock.today()), languages=LANGUAGES,
                           ca_states=STATE_LABELS)


def _pdf(department_id: int | None):
    lang = pdf_language()
    report = _report(department_id)
    scope = report.department.code if report.department else "org"
    return Response(pdfs.six_monthly(report, lang), mimetype="application/pdf", headers={
        "Content-Disposition":
            f'attachment; filename="report-{scope}-{report.period.code}-{lang}.pdf"'})


@bp.get("/six-monthly/organisation")
@login_required
def organisation():
    """The whole organisation's half-year."""
    return _page(None)


@bp.get("/six-monthly/department/<int:department_id>")
@login_required
def department(department_id: int):
    """One department's half-year."""
    return _page(department_id)


@bp.get("/six-monthly/organisation.pdf")
@login_required
def organisation_pdf():
    """The whole organisation's report as PDF."""
    return _pdf(None)


@bp.get("/six-monthly/department/<int:department_id>.pdf")
@login_required
def department_pdf(department_id: int):
    """One department's report as PDF."""
    return _pdf(department_id)


@bp.post("/six-monthly/notes")
@login_required
def save_notes():
    """Save the coordinator's shortcomings and planned actions."""
    if not can(current_user, "reports.notes"):
        raise PermissionDenied(_("Only an ISO coordinator can write the report's notes."))
    form = NoteForm()
    if not form.validate_on_submit():
        errors = [e for field in form for e in field.errors]
        raise DomainError(" ".join(str(e) for e in errors) or _("The form is incomplete."))
    period = parse_half_year(form.period.data, clock.today())
    department_id = form.department_id.data or None
    services.save_note(current_user, department_id=department_id, period=period,
                       shortcomings=form.shortcomings.data,
                       planned_actions=form.planned_actions.data,
                       expected_version=form.version.data)
    flash(_("Notes saved."), "success")
    target = (url_for("reports.department", department_id=department_id, period=period.code)
              if department_id else url_for("reports.organisation", period=period.code))
    return redirect(target + "#notes")


def register(app) -> None:
    """Mount this domain's pages."""
    app.register_blueprint(bp)
    app.register_blueprint(reviews_bp)
