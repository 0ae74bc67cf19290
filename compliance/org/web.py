"""Departments, processes and the clause catalogue."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.audit_trail.readable import history_of
from compliance.audits.labels import STATE_LABELS as AUDIT_STATES
from compliance.auth.permissions import require
from compliance.capa.labels import SOURCE_LABELS as CA_SOURCES
from compliance.capa.labels import STATE_LABELS as CA_STATES
from compliance.core import tenancy
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.core.kept import kept
from compliance.documents.labels import STATUS_LABELS as DOCUMENT_STATES
from compliance.org import clauses, hub, queries, rules, services
from compliance.org.forms import DepartmentForm, ProcessForm
from compliance.org.labels import NONE_CHOSEN, PROCESS_KIND_LABELS
from compliance.org.naming import organisation_name
from compliance.quality.measures.labels import FREQUENCY_LABELS

bp = Blueprint("org", __name__)


def _locale() -> str:
    return str(get_locale())


@bp.get("/departments/")
@require("departments.read")
def departments():
    """All departments with their heads."""
    return render_template("org/departments.html",
                           departments=queries.departments(user=current_user),
                           may_manage=rules.may_manage_departments(current_user))


@bp.get("/departments/<int:department_id>")
@require("departments.read")
def department(department_id: int):
    """One department: heads, members, processes, history."""
    dept = services.get_department(department_id)
    return render_template("org/department.html", department=dept,
                           actions=rules.allowed_actions(current_user, dept),
                           history=history_of("department", dept.id, limit=50))


@bp.route("/departments/new", methods=["GET", "POST"])
@require("departments.manage")
def create_department():
    """Add a department."""
    form = _department_form(None)
    if form.validate_on_submit():
        try:
            dept = services.create_department(current_user, form.code.data, form.name_vi.data,
                                              form.name_en.data, form.parent_id.data or None,
                                              **form.certificate())
        except DomainError as error:
            return form_error(form, error, "org/department_form.html", department=None)
        flash(_("Department %(code)s created.", code=dept.code), "success")
        return redirect(url_for("org.department", department_id=dept.id))
    return render_form("org/department_form.html", form, department=None)


@bp.route("/departments/<int:department_id>/edit", methods=["GET", "POST"])
@require("departments.manage")
def edit_department(department_id: int):
    """Change a department; a stale form gets a conflict, not an overwrite."""
    dept = services.get_department(department_id, for_update=True)
    form = _department_form(dept)
    if form.validate_on_submit():
        try:
            services.update_department(
                current_user, dept, form.version.data, code=form.code.data,
                name_vi=form.name_vi.data, name_en=form.name_en.data,
                parent_id=form.parent_id.data or None, active=form.active.data,
                **form.certificate())
        except DomainError as error:
            return form_error(form, error, "org/department_form.html", department=dept)
        flash(_("Changes saved."), "success")
        return redirect(url_for("org.department", department_id=dept.id))
    return render_form("org/department_form.html", form, department=dept)


def _department_form(dept) -> DepartmentForm:
    form = DepartmentForm(obj=dept)
    form.parent_id.choices = queries.department_choices(
        _locale(), blank=NONE_CHOSEN, keep=dept.parent_id if dept is not None else None)
    if dept is not None and not form.is_submitted():
        form.parent_id.data = dept.parent_id or 0
        form.version.data = dept.version
    return form


@bp.get("/processes/")
@require("processes.read")
def processes():
    """All processes of the quality system."""
    return render_template("org/processes.html",
                           processes=queries.processes(user=current_user),
                           may_manage=rules.may_manage_processes(current_user))


@bp.get("/processes/<int:process_id>")
@login_required
def process(process_id: int):
    """One process as the hub: owner, purpose, inputs and outputs, the processes before and
    after it (with their map), its documents, measures, audits, findings and corrective
    actions."""
    try:
        found = services.get_process(process_id)
    except DomainError:
        # Those who read only their own department's processes learn nothing from a
        # missing one.
        rules.ensure(rules.may_read_processes(current_user))
        raise
    rules.ensure(rules.may_read_process(current_user, found))
    return render_template("org/process.html", process=found,
                           hub=hub.process_hub(current_user, found),
                           may_open=lambda p: rules.may_read_process(current_user, p),
                           actions=rules.allowed_actions(current_user, found),
                           kinds=PROCESS_KIND_LABELS, frequencies=FREQUENCY_LABELS,
                           audit_states=AUDIT_STATES, ca_states=CA_STATES,
                           ca_sources=CA_SOURCES, document_states=DOCUMENT_STATES,
                           # The trail of changes is for those who read every process.
                           history=history_of("process", found.id, limit=50)
                           if rules.may_read_processes(current_user) else None)


@bp.route("/processes/new", methods=["GET", "POST"])
@require("processes.manage")
def create_process():
    """Add a process."""
    form = _process_form(None)
    if form.validate_on_submit():
        try:
            created = services.create_process(current_user, **_process_fields(form))
        except DomainError as error:
            return form_error(form, error, "org/process_form.html", process=None)
        flash(_("Process saved."), "success")
        return redirect(url_for("org.process", process_id=created.id))
    return render_form("org/process_form.html", form, process=None)


@bp.route("/processes/<int:process_id>/edit", methods=["GET", "POST"])
@require("processes.manage")
def edit_process(process_id: int):
    """Change a process."""
    process = services.get_process(process_id, for_update=True)
    form = _process_form(process)
    if form.validate_on_submit():
        try:
            services.update_process(current_user, process, form.version.data,
                                    **_process_fields(form))
        except DomainError as error:
            return form_error(form, error, "org/process_form.html", process=process)
        flash(_("Process saved."), "success")
        return redirect(url_for("org.process", process_id=process.id))
    return render_form("org/process_form.html", form, process=process)


def _process_form(process) -> ProcessForm:
    form = ProcessForm(obj=process)
    form.department_id.choices = queries.department_choices(
        _locale(), keep=process.department_id if process is not None else None)
    form.owner_id.choices = [(0, NONE_CHOSEN)] + [(u.id, u.name) for u in queries.active_users()]
    others = [(p.id, f"{p.code} — {p.name(_locale())}") for p in queries.processes()
              if process is None or p.id != process.id]
    form.before_ids.choices = form.after_ids.choices = others
    form.document_ids.choices = queries.document_choices(
        _locale(), keep=[d.id for d in process.documents] if process is not None else ())
    if process is not None and not form.is_submitted():
        form.owner_id.data = process.owner_id or 0
        form.version.data = process.version
        form.before_ids.data = [p.id for p in process.before]
        form.after_ids.data = [p.id for p in process.after]
        form.document_ids.data = [d.id for d in process.documents]
    return form


def _process_fields(form: ProcessForm) -> dict:
    return {"code": form.code.data, "name_vi": form.name_vi.data, "name_en": form.name_en.data,
            "department_id": form.department_id.data, "owner_id": form.owner_id.data or None,
            "inputs": form.inputs.data or "", "outputs": form.outputs.data or "",
            "purpose": form.purpose.data or "", "kind": form.kind.data,
            "time_limit_days": form.time_limit_days.data,
            "before_ids": form.before_ids.data or [], "after_ids": form.after_ids.data or [],
            "document_ids": form.document_ids.data or []}


@bp.get("/clauses/")
@require("clauses.read")
def clause_catalogue():
    """The ISO 9001:2015 clause catalogue."""
    return render_template("org/clauses.html", clauses=clauses.all_clauses(),
                           edition=clauses.EDITION)


def org_name() -> str:
    """The name of the reader's organisation (else the default one) in their language."""
    locale = str(get_locale())
    acting = tenancy.acting_organisation_id()
    return kept("organisation_name", (acting, locale),
                lambda: organisation_name(locale, acting))


def register(app) -> None:
    """Mount this domain's pages and name the organisation on every page."""
    app.context_processor(lambda: {"org_name": org_name()})
    app.register_blueprint(bp)
