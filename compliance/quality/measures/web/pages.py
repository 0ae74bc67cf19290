"""The measure register, defining and changing a measure, its page, and recording a value."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.audit_trail.readable import history_of
from compliance.core import clock, registers
from compliance.core.collation import sort_key
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.org import queries as org_queries
from compliance.quality.measures import periods, queries, rules, services
from compliance.quality.measures.forms import MeasureForm, ValueForm
from compliance.quality.measures.services.common import number
from compliance.quality.measures.web.blueprint import LABELS, bp, locale, readable

FORM = "quality/measures/form.html"
DETAIL = "quality/measures/detail.html"


# What the register remembers for each person, and its columns that sort (ties: code).
FILTER_KEYS = ("department", "sort")
SORTS = {
    "code": lambda row: sort_key(row.measure.code),
    "name": lambda row: sort_key(row.measure.name_vi),
    "process": lambda row: sort_key(row.measure.process.code),
    "frequency": lambda row: row.measure.frequency,
}


@bp.get("/")
@login_required
def index():
    """Every measure the user may read, with its latest value and the values missing."""
    kept = registers.remembered(current_user, "measures", request.args, FILTER_KEYS)
    department = kept.args.get("department", "")
    department_id = int(department) if department.isdigit() else None
    sort = registers.sort_from(kept.args.get("sort"), SORTS, "code")
    rows = queries.listing(current_user, department_id=department_id)
    return render_template(
        "quality/measures/index.html", rows=registers.sorted_rows(rows, sort, SORTS),
        sort=sort, args=kept.args, restored=kept.restored,
        missing=queries.missing_by_measure(clock.today(),
                                           int(current_app.config["MEASURE_GRACE_DAYS"])),
        department_id=department_id, departments=org_queries.department_choices(locale()),
        may_create=rules.may_create_any(current_user),
        may_import=rules.may_import(current_user, queries.records_some(current_user)),
        **LABELS)


def _form(measure=None) -> MeasureForm:
    form = MeasureForm(obj=measure)
    allowed = rules.managed_department_ids(current_user)
    keep = measure.process_id if measure is not None else None
    form.process_id.choices = [
        (p.id, f"{p.code} — {p.name(locale())}") for p in org_queries.processes()
        if allowed is None or p.department_id in allowed or p.id == keep]
    form.recorder_id.choices = [(0, "—")] + [(u.id, u.name)
                                             for u in org_queries.active_users()]
    if not form.is_submitted():
        if measure is not None:
            form.recorder_id.data = measure.recorder_id or 0
            form.target.data = f"{measure.target:g}"
            form.version.data = measure.version
        elif request.args.get("process", type=int):
            form.process_id.data = request.args.get("process", type=int)
    return form


def _fields(form: MeasureForm) -> dict:
    return {"code": form.code.data, "process_id": form.process_id.data,
            "name_vi": form.name_vi.data, "name_en": form.name_en.data or "",
            "unit": form.unit.data or "", "direction": form.direction.data,
            "target": number(form.target.data), "frequency": form.frequency.data,
            "first_period": form.first_period.data, "recorder_id": form.recorder_id.data or None,
            "ratio": form.ratio.data, "customer_feedback": form.customer_feedback.data,
            "active": form.active.data}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Define a measure of a process."""
    rules.ensure(rules.may_create_any(current_user),
                 _("Only a coordinator or a department head defines measures."))
    form = _form()
    if not form.is_submitted():
        form.first_period.data = periods.containing("monthly", clock.today()).code
    if not form.validate_on_submit():
        return render_form(FORM, form, measure=None, **LABELS)
    try:
        measure = services.create_measure(current_user, **_fields(form))
    except DomainError as error:
        return form_error(form, error, FORM, measure=None, **LABELS)
    flash(_("Measure %(code)s saved.", code=measure.code), "success")
    return redirect(url_for("quality.measures.detail", measure_id=measure.id))


@bp.route("/<int:measure_id>/edit", methods=["GET", "POST"])
@login_required
def edit(measure_id: int):
    """Change a measure; a stale form gets a conflict, not an overwrite."""
    measure = readable(measure_id, for_update=True)
    rules.ensure_manage_in(current_user, measure.department_id)
    form = _form(measure)
    if not form.validate_on_submit():
        return render_form(FORM, form, measure=measure, **LABELS)
    try:
        services.update_measure(current_user, measure, form.version.data, **_fields(form))
    except DomainError as error:
        return form_error(form, error, FORM, measure=measure, **LABELS)
    flash(_("Changes saved."), "success")
    return redirect(url_for("quality.measures.detail", measure_id=measure.id))


def _described(form: ValueForm, measure) -> ValueForm:
    form.period.description = _("Written %(example)s.",
                                example=LABELS["examples"][measure.frequency])
    form.value.description = measure.unit
    return form


def _context(measure) -> dict:
    return {"measure": measure, "values": queries.values_of(measure.id),
            "actions": rules.allowed_actions(current_user, measure),
            "history": history_of("measure", measure.id, limit=50)
            if rules.may_see_history(current_user, measure) else None, **LABELS}


def detail_page(measure, form: ValueForm | None = None, status: int = 200):
    """The measure's page: definition, values (misses marked), the form to record one."""
    if form is None:
        form = ValueForm(formdata=None)
        form.period.data = periods.last_ended(measure.frequency, clock.today()).code
    return render_template(DETAIL, form=_described(form, measure), **_context(measure)), status


@bp.get("/<int:measure_id>")
@login_required
def detail(measure_id: int):
    """One measure and its values."""
    return detail_page(readable(measure_id))


@bp.post("/<int:measure_id>/values")
@login_required
def record(measure_id: int):
    """Record the value of one period (a miss is marked and announced)."""
    measure = readable(measure_id, for_update=True)
    rules.ensure_record(current_user, measure)
    form = ValueForm()
    if not form.validate_on_submit():
        return detail_page(measure, form, 400)
    upload = form.file.data if form.file.data and form.file.data.filename else None
    try:
        value = services.record_value(
            current_user, measure, period=form.period.data, today=clock.today(),
            value=form.value.data, received=form.received.data, on_time=form.on_time.data,
            late=form.late.data, note=form.note.data or "",
            stream=upload.stream if upload else None,
            filename=upload.filename if upload else None)
    except DomainError as error:
        return form_error(_described(form, measure), error, DETAIL, **_context(measure))
    if value.missed:
        flash(_("Recorded: %(period)s misses the target.", period=value.period), "warning")
    else:
        flash(_("Recorded: %(period)s meets the target.", period=value.period), "success")
    return redirect(url_for("quality.measures.value", measure_id=measure.id,
                            value_id=value.id))
