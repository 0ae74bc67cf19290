"""Audit programmes and planning: list, coverage grid, due departments, plan and edit."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from compliance.audits import queries, services
from compliance.audits.conduct_views import bp as conduct_bp
from compliance.audits.forms import STATE_LABELS, AuditForm, ProgrammeForm
from compliance.audits.question_views import bp as questions_bp
from compliance.audits.question_views import grades_bp
from compliance.auth.models import User, UserRole
from compliance.auth.permissions import can, require
from compliance.core import clock
from compliance.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.org import clauses
from compliance.org import queries as org_queries

bp = Blueprint("audits", __name__, url_prefix="/audits")


@bp.get("/")
@login_required
def index():
    """Programmes and the audits the user may see."""
    audits = queries.visible_audits(current_user)
    if not audits and not can(current_user, "audits.read") and \
            not current_user.department_ids("department_head"):
        raise PermissionDenied(_("You do not take part in internal audits."))
    return render_template("audits/index.html", programmes=queries.programmes(),
                           audits=audits, states=STATE_LABELS)


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
            form.period_end.errors.append(error.message)
        else:
            flash(_("Audit programme created."), "success")
            return redirect(url_for("audits.programme", programme_id=programme.id))
    status = 400 if form.is_submitted() else 200
    return render_template("audits/programme_form.html", form=form), status


@bp.get("/programmes/<int:programme_id>")
@require("audits.read")
def programme(programme_id: int):
    """The programme: coverage grid, departments due, audits planned."""
    prog = services.get_programme(programme_id)
    return render_template("audits/programme.html", programme=prog,
                           grid=queries.coverage(prog),
                           due=queries.due_departments(prog, clock.today()),
                           audits=queries.visible_audits(current_user, prog.id),
                           states=STATE_LABELS)


def _audit_form(audit=None, department_id: int | None = None) -> AuditForm:
    locale = str(get_locale())
    form = AuditForm(obj=audit)
    form.department_id.choices = org_queries.department_choices(locale)
    form.clause_ids.choices = [(c.id, f"{c.number} {c.title(locale)}")
                               for c in clauses.all_clauses()]
    form.process_ids.choices = [(p.id, f"{p.code} {p.name(locale)}")
                                for p in org_queries.processes()]
    auditors = db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role.in_(services.AUDITOR_ROLES))
        .distinct().order_by(User.name)).all()
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
        except (NotFound, DomainError) as error:
            db.session.rollback()
            form.lead_auditor_id.errors.append(error.message)
            return render_template("audits/audit_form.html", form=form, programme=prog,
                                   audit=None), error.status
        flash(_("Audit %(ref)s planned.", ref=audit.reference), "success")
        return redirect(url_for("conduct.detail", audit_id=audit.id))
    status = 400 if form.is_submitted() else 200
    return render_template("audits/audit_form.html", form=form, programme=prog,
                           audit=None), status


@bp.route("/<int:audit_id>/edit", methods=["GET", "POST"])
@require("audits.plan")
def edit(audit_id: int):
    """Change a planned audit."""
    audit = services.get_audit(audit_id, for_update=request.method == "POST")
    form = _audit_form(audit)
    if form.validate_on_submit():
        try:
            services.update_audit(current_user, audit, form.version.data, **_fields(form))
        except Conflict:
            raise
        except (NotFound, DomainError) as error:
            if error.status == 409 and audit.status != "planned":
                raise
            db.session.rollback()
            form.lead_auditor_id.errors.append(error.message)
            return render_template("audits/audit_form.html", form=form,
                                   programme=audit.programme, audit=audit), error.status
        flash(_("Changes saved."), "success")
        return redirect(url_for("conduct.detail", audit_id=audit.id))
    status = 400 if form.is_submitted() else 200
    return render_template("audits/audit_form.html", form=form, programme=audit.programme,
                           audit=audit), status


def register(app) -> None:
    """Mount this domain's pages."""
    app.register_blueprint(questions_bp)
    app.register_blueprint(grades_bp)
    app.register_blueprint(bp)
    app.register_blueprint(conduct_bp)
