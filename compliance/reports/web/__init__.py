"""Six-monthly reports: choose a half-year, preview, write notes, download the PDF.

The blueprint `reports` has no URL prefix of its own so that its child `reports.reviews`
(web/reviews.py) keeps its address under /management-reviews/; the pages here spell out
/reports/, as does the child `reports.annual` (web/annual.py, the annual report).
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.capa.labels import STATE_LABELS
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import NOT_A_FORM_PROBLEM, form_error
from compliance.reports import pdfs, quality, queries, rollup, rules, services
from compliance.reports.forms import NoteForm
from compliance.reports.labels import LANGUAGES
from compliance.reports.periods import parse_half_year, recent_half_years
from compliance.reports.services.notes import NO_NOTE_YET
from compliance.reports.web import annual, reviews
from compliance.reports.web.args import pdf_language

bp = Blueprint("reports", __name__)
bp.register_blueprint(reviews.bp)
bp.register_blueprint(annual.bp)
PREFIX = "/reports"


@bp.get(f"{PREFIX}/")
@login_required
def index():
    """Pick a half-year and a department (or the whole organisation)."""
    rules.ensure(rules.may_open_reports(current_user))
    return render_template("reports/index.html",
                           departments=queries.readable_departments(current_user),
                           periods=recent_half_years(clock.today()),
                           organisation=rules.reads_every_report(current_user),
                           reviews=rules.may_read_reviews(current_user))


def _report(department_id: int | None, period_code: str | None):
    period = parse_half_year(period_code, clock.today())
    services.ensure_may_read_report(current_user, department_id)
    department = services.get_department(department_id) if department_id is not None else None
    return queries.six_monthly(period, department, clock.today())


def _page_context(report) -> dict:
    return {"report": report, "periods": recent_half_years(clock.today()),
            "quality": quality.six_monthly(report, clock.today()),
            "languages": LANGUAGES, "ca_states": STATE_LABELS,
            "actions": rules.allowed_actions(current_user, report),
            "below": rollup.below(current_user, report, clock.today())}


def _page(department_id: int | None):
    report = _report(department_id, request.args.get("period"))
    form = None
    if rules.may_edit_notes(current_user):
        # Without notes yet the form says so (version 0), so that a note someone else wrote
        # meanwhile is a conflict, not overwritten.
        form = NoteForm(formdata=None, obj=report.note, department_id=department_id or 0,
                        period=report.period.code, version=NO_NOTE_YET)
    return render_template("reports/six_monthly.html", form=form, **_page_context(report))


def _pdf(department_id: int | None):
    lang = pdf_language()
    report = _report(department_id, request.args.get("period"))
    scope = report.department.code if report.department else "org"
    below = rollup.below(current_user, report, clock.today())
    disposition = f'attachment; filename="report-{scope}-{report.period.code}-{lang}.pdf"'
    return Response(pdfs.six_monthly(report, lang, below), mimetype="application/pdf",
                    headers={"Content-Disposition": disposition})


@bp.get(f"{PREFIX}/six-monthly/organisation")
@login_required
def organisation():
    """The whole organisation's half-year."""
    return _page(None)


@bp.get(f"{PREFIX}/six-monthly/department/<int:department_id>")
@login_required
def department(department_id: int):
    """One department's half-year."""
    return _page(department_id)


@bp.get(f"{PREFIX}/six-monthly/organisation.pdf")
@login_required
def organisation_pdf():
    """The whole organisation's report as PDF."""
    return _pdf(None)


@bp.get(f"{PREFIX}/six-monthly/department/<int:department_id>.pdf")
@login_required
def department_pdf(department_id: int):
    """One department's report as PDF."""
    return _pdf(department_id)


@bp.post(f"{PREFIX}/six-monthly/notes")
@login_required
def save_notes():
    """Save the coordinator's shortcomings and planned actions."""
    rules.ensure(rules.may_edit_notes(current_user),
                 _("Only an ISO coordinator can write the report's notes."))
    form = NoteForm()
    department_id = form.department_id.data or None
    if not form.validate_on_submit():
        return _notes_again(form, department_id, DomainError(
            _("The notes were not saved: correct what is marked below.")))
    try:
        period = parse_half_year(form.period.data, clock.today())
        services.save_note(current_user, department_id=department_id, period=period,
                           shortcomings=form.shortcomings.data,
                           planned_actions=form.planned_actions.data,
                           expected_version=form.version.data)
    except DomainError as error:
        return _notes_again(form, department_id, error)
    flash(_("Notes saved."), "success")
    target = (url_for("reports.department", department_id=department_id, period=period.code)
              if department_id else url_for("reports.organisation", period=period.code))
    return redirect(target + "#notes")


def _notes_again(form: NoteForm, department_id: int | None, error: DomainError):
    """The report page again with the notes as typed and the reason they were refused."""
    if error.status in NOT_A_FORM_PROBLEM:
        raise error  # before the report is read again for nothing
    try:
        report = _report(department_id, form.period.data)
    except DomainError:
        # The half-year itself was unreadable: show the last one, the notes kept as typed.
        report = _report(department_id, None)
    return form_error(form, error, "reports/six_monthly.html", **_page_context(report))


def register(app) -> None:
    """Mount this domain's pages (reviews are a child blueprint) and tell the menu whether
    to offer reports and reviews."""
    app.register_blueprint(bp)
    app.context_processor(lambda: {
        "may_open_reports": lambda: rules.may_open_reports(current_user),
        "may_read_reviews": lambda: rules.may_read_reviews(current_user),
        "may_read_annual": lambda: rules.reads_every_report(current_user)})
