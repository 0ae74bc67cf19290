"""The audits blueprint: programmes and planning (plan, edit, cancel, reschedule) here; the
children conduct (an audit's page), findings (response dates and answers), questions (the
bank) and grades mount under it, so endpoints read `audits.conduct.detail`."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.audits import queries, rules, services
from compliance.audits.forms import AuditForm, ProgrammeForm
from compliance.audits.labels import STATE_LABELS
from compliance.audits.web.conduct import bp as conduct_bp
from compliance.audits.web.findings import bp as findings_bp
from compliance.audits.web.grades import bp as grades_bp
from compliance.audits.web.page import back, invalid, readable, refused, sent
from compliance.audits.web.questions import bp as questions_bp
from compliance.auth.permissions import require
from compliance.core import clock, registers
from compliance.core.collation import person_key, sort_key
from compliance.core.errors import DomainError, PermissionDenied
from compliance.core.http import form_error, render_form
from compliance.org import clauses
from compliance.org import queries as org_queries

bp = Blueprint("audits", __name__, url_prefix="/audits")
# URLs as before: /audits/questions/, /audits/grades/, /audits/<id>/...
bp.register_blueprint(questions_bp)
bp.register_blueprint(grades_bp)
bp.register_blueprint(conduct_bp)
bp.register_blueprint(findings_bp)


# What the list remembers for each person, and its columns that sort (ties: planned start).
FILTER_KEYS = ("status", "sort")
SORTS = {
    "reference": lambda a: sort_key(a.reference),
    "department": lambda a: sort_key(a.department.code),
    "planned": lambda a: a.planned_start,
    "lead": lambda a: person_key(a.lead_auditor.name),
    "status": lambda a: a.status,
}


@bp.get("/")
@login_required
def index():
    """Programmes and the audits the user may see (sorted, filtered by state)."""
    audits = queries.audit_list(current_user)
    if not audits and not rules.may_list(current_user):
        raise PermissionDenied(_("You do not take part in internal audits."))
    kept = registers.remembered(current_user, "audits", request.args, FILTER_KEYS)
    status = kept.args.get("status") if kept.args.get("status") in STATE_LABELS else None
    sort = registers.sort_from(kept.args.get("sort"), SORTS, "planned")
    shown = registers.sorted_rows([a for a in audits if status in (None, a.status)], sort,
                                  SORTS)
    actions = rules.allowed_actions(current_user)
    return render_template("audits/index.html", audits=shown, states=STATE_LABELS,
                           programmes=queries.programmes() if "programmes" in actions else [],
                           actions=actions, sort=sort, args=kept.args, status=status,
                           restored=kept.restored, audit_due=_due_marker())


def _due_marker():
    """Each audit's start (planned) or end (in progress) marked as due soon or overdue."""
    mark = registers.due_marker(clock.today())
    return lambda audit: mark(queries.due_date(audit))


@bp.route("/programmes/new", methods=["GET", "POST"])
@require("audits.plan")
def create_programme():
    """Open a programme for a period."""
    form = ProgrammeForm()
    if form.validate_on_submit():
        try:
            programme = services.create_programme(
                current_user, title=form.title.data, period_start=form.period_start.data,
                period_end=form.period_end.data, notes=form.notes.data)
        except DomainError as error:
            return form_error(form, error, "audits/programme_form.html")
        flash(_("Audit programme created."), "success")
        return redirect(url_for("audits.programme", programme_id=programme.id))
    return render_form("audits/programme_form.html", form)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@require("audits.plan")
def edit_programme(programme_id: int):
    """Change a programme's title, period and notes (refused when someone saved first)."""
    prog = services.get_programme(programme_id, for_update=request.method == "POST")
    form = ProgrammeForm(obj=prog)
    if not form.is_submitted():
        form.version.data = prog.version
    if form.validate_on_submit():
        try:
            services.update_programme(
                current_user, prog, form.version.data, title=form.title.data,
                period_start=form.period_start.data, period_end=form.period_end.data,
                notes=form.notes.data)
        except DomainError as error:
            return form_error(form, error, "audits/programme_form.html", programme=prog)
        flash(_("Changes saved."), "success")
        return redirect(url_for("audits.programme", programme_id=prog.id))
    return render_form("audits/programme_form.html", form, programme=prog)


@bp.get("/programmes/<int:programme_id>")
@require("audits.read")
def programme(programme_id: int):
    """The programme: coverage grid, departments due, audits planned."""
    prog = services.get_programme(programme_id)
    return render_template("audits/programme.html", programme=prog,
                           grid=queries.coverage(prog),
                           due=queries.due_departments(prog, clock.today()),
                           audits=queries.audit_list(current_user, prog.id),
                           states=STATE_LABELS,
                           actions=rules.allowed_actions(current_user, prog))


def _audit_form(audit=None, department_id: int | None = None) -> AuditForm:
    locale = str(get_locale())
    form = AuditForm(obj=audit)
    form.department_id.choices = org_queries.department_choices(locale)
    form.clause_ids.choices = [(c.id, f"{c.number} {c.title(locale)}")
                               for c in clauses.all_clauses()]
    form.process_ids.choices = [(p.id, f"{p.code} {p.name(locale)}")
                                for p in org_queries.processes()]
    auditors = queries.auditors()
    form.lead_auditor_id.choices = [(u.id, u.name) for u in auditors]
    form.team_ids.choices = [(u.id, u.name) for u in auditors]
    if not form.is_submitted():
        if audit is not None:
            form.clause_ids.data = [c.id for c in audit.clauses]
            form.process_ids.data = [p.id for p in audit.processes]
            form.team_ids.data = [u.id for u in audit.team]
            form.version.data = audit.version
        elif department_id:
            form.department_id.data = department_id
    return form


def _fields(form: AuditForm) -> dict:
    return {"department_id": form.department_id.data, "clause_ids": form.clause_ids.data,
            "process_ids": form.process_ids.data, "criteria": form.criteria.data,
            "scope_note": form.scope_note.data, "planned_start": form.planned_start.data,
            "planned_end": form.planned_end.data, "lead_auditor_id": form.lead_auditor_id.data,
            "team_ids": form.team_ids.data}


@bp.route("/programmes/<int:programme_id>/audits/new", methods=["GET", "POST"])
@require("audits.plan")
def plan(programme_id: int):
    """Plan an audit; an auditor from the audited department is refused with the reason."""
    prog = services.get_programme(programme_id)
    form = _audit_form(department_id=request.args.get("department", type=int))
    if form.validate_on_submit():
        try:
            audit = services.plan_audit(current_user, prog, **_fields(form))
        except DomainError as error:
            return form_error(form, error, "audits/audit_form.html", programme=prog,
                              audit=None)
        flash(_("Audit %(ref)s planned.", ref=audit.reference), "success")
        return redirect(url_for("audits.conduct.detail", audit_id=audit.id))
    return render_form("audits/audit_form.html", form, programme=prog, audit=None)


@bp.route("/<int:audit_id>/edit", methods=["GET", "POST"])
@require("audits.plan")
def edit(audit_id: int):
    """Change a planned audit."""
    audit = services.get_readable_audit(current_user, audit_id,
                                        for_update=request.method == "POST")
    form = _audit_form(audit)
    if form.validate_on_submit():
        try:
            services.update_audit(current_user, audit, form.version.data, **_fields(form))
        except DomainError as error:
            # A started audit (409) or someone else's change (409) keeps its own page.
            return form_error(form, error, "audits/audit_form.html",
                              programme=audit.programme, audit=audit)
        flash(_("Changes saved."), "success")
        return redirect(url_for("audits.conduct.detail", audit_id=audit.id))
    return render_form("audits/audit_form.html", form, programme=audit.programme, audit=audit)


@bp.post("/<int:audit_id>/cancel")
@require("audits.plan")
def cancel(audit_id: int):
    """Cancel an audit that has not been reported, with the reason."""
    audit = readable(audit_id, for_update=True)
    form = sent("cancel", audit)
    if not form.validate_on_submit():
        return invalid(audit, "cancel", form)
    try:
        services.cancel_audit(current_user, audit, reason=form.reason.data,
                              expected_version=form.version.data)
    except DomainError as error:
        return refused(audit, "cancel", form, error)
    flash(_("Audit %(ref)s cancelled.", ref=audit.reference), "success")
    return back(audit)


@bp.post("/<int:audit_id>/reschedule")
@require("audits.plan")
def reschedule(audit_id: int):
    """Give an audit that has not been reported new dates, with the reason."""
    audit = readable(audit_id, for_update=True)
    form = sent("reschedule", audit)
    if not form.validate_on_submit():
        return invalid(audit, "reschedule", form)
    try:
        services.reschedule_audit(current_user, audit, planned_start=form.planned_start.data,
                                  planned_end=form.planned_end.data, reason=form.reason.data,
                                  expected_version=form.version.data)
    except DomainError as error:
        return refused(audit, "reschedule", form, error)
    flash(_("Audit %(ref)s rescheduled.", ref=audit.reference), "success")
    return back(audit)


def register(app) -> None:
    """Mount this domain's pages and tell the menu whether to offer them."""
    app.register_blueprint(bp)
    app.context_processor(lambda: {"may_list_audits": lambda: rules.may_list(current_user)})
