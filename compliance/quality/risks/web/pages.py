"""The register (with the question asked after a corrective action closed), adding and
editing a risk, its page, the heat maps, and the organisation's scale."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.core import clock, registers
from compliance.core.collation import sort_key
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.org import queries as org_queries
from compliance.quality.risks import queries, rules, services
from compliance.quality.risks.forms import ScaleForm
from compliance.quality.risks.labels import KINDS, LEVELS_IN_FORM
from compliance.quality.risks.web.common import (
    LABELS,
    back,
    bp,
    ca_review_form,
    detail_page,
    locale,
    readable,
    risk_form,
)
from compliance.quality.risks.web.maps import maps_for

FORM = "quality/risks/form.html"
REGISTER = "quality/risks/register.html"


# What the register remembers for each person, and its columns that sort (ties: department,
# then reference order, the query's).
FILTER_KEYS = ("department", "process", "kind", "status", "level", "sort")
SORTS = {
    "reference": lambda r: sort_key(r.reference),
    "department": lambda r: sort_key(r.department.code),
    "score": lambda r: r.score or 0,
    "residual": lambda r: r.residual_score or 0,
    "status": lambda r: r.status,
    "review": lambda r: (r.review_on is None, r.review_on or date.max),
}


def _number(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _filters(args) -> queries.Filters:
    return queries.Filters(department_id=_number(args.get("department")),
                           process_id=_number(args.get("process")),
                           kind=args.get("kind") if args.get("kind") in KINDS else None,
                           status=args.get("status") or None, level=args.get("level") or None)


def after_ca(form=None) -> dict:
    """The question asked after a corrective action closed (?after_ca=<id>), for those who
    answer it: the corrective action, the answer recorded, or the form."""
    ca_id = request.args.get("after_ca", type=int) or request.view_args.get("ca_id")
    if not ca_id:
        return {}
    ca = services.get_ca(ca_id)
    if not rules.may_answer_ca_review(current_user, ca.department_id):
        return {}
    return {"ca": ca, "answer": services.answer_of(ca.id),
            "form": form or ca_review_form(ca.department_id, formdata=None)}


def register_context(ca_form=None) -> dict:
    """The register as filtered, and the question after a corrective action, if asked (the
    register then shows that corrective action's department unless another is chosen)."""
    kept = registers.remembered(current_user, "risks", request.args, FILTER_KEYS)
    filters, scale, after = _filters(kept.args), services.current_scale(), after_ca(ca_form)
    if after and not filters.department_id:
        filters.department_id = after["ca"].department_id
    sort = registers.sort_from(kept.args.get("sort"), SORTS, "department")
    rows = queries.register(filters, scale, user=current_user)
    if kept.args.get("sort"):
        rows = registers.sorted_rows(rows, sort, SORTS)
    return dict(rows=rows, filters=filters, sort=sort, args=kept.args, restored=kept.restored,
                due=registers.due_marker(clock.today()),
                scale=scale, today=clock.today(), after=after,
                departments=org_queries.department_choices(locale()),
                processes=org_queries.processes(filters.department_id)
                if filters.department_id else [],
                may_create=rules.may_create_any(current_user),
                may_set_scale=rules.may_set_scale(current_user), **LABELS)


@bp.get("/", endpoint="register")
@login_required
def register_page():
    """Every risk and opportunity the user may see, with filters."""
    return render_template(REGISTER, **register_context())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Add a risk or an opportunity to a department's register."""
    rules.ensure(rules.may_create_any(current_user),
                 _("Only a coordinator or a department head adds risks."))
    scale = services.current_scale()
    department_id = request.values.get("department_id", type=int) or \
        request.args.get("department", type=int)
    form = risk_form(scale, creating=True, department_id=department_id)
    if request.method == "GET":
        form.department_id.data = department_id
        form.process_id.data = request.args.get("process", type=int) or 0
        form.kind.data = form.kind.data or "risk"
    if not form.validate_on_submit():
        return render_form(FORM, form, scale=scale, risk=None)
    try:
        risk = services.create_risk(
            current_user, department_id=form.department_id.data, kind=form.kind.data,
            description=form.description.data, cause=form.cause.data,
            consequence=form.consequence.data, likelihood=form.likelihood.data,
            impact=form.impact.data, process_id=form.process_id.data or None,
            review_on=form.review_on.data, today=clock.today())
    except DomainError as error:
        return form_error(form, error, FORM, scale=scale, risk=None)
    flash(_("%(reference)s added to the register.", reference=risk.reference), "success")
    return back(risk)


@bp.get("/<int:risk_id>")
@login_required
def detail(risk_id: int):
    """The risk's page: ratings, treatment actions, links, reviews, history."""
    return detail_page(readable(risk_id))


@bp.route("/<int:risk_id>/edit", methods=["GET", "POST"])
@login_required
def edit(risk_id: int):
    """Edit a risk, and rate it after treatment."""
    risk = readable(risk_id, for_update=request.method == "POST")
    rules.ensure_manage(current_user, risk)
    scale = services.current_scale()
    shown = {"kind": risk.kind, "description": risk.description, "cause": risk.cause,
             "consequence": risk.consequence, "likelihood": risk.likelihood,
             "impact": risk.impact, "residual_likelihood": risk.residual_likelihood or 0,
             "residual_impact": risk.residual_impact or 0, "process_id": risk.process_id or 0,
             "review_on": risk.review_on}
    form = risk_form(scale, creating=False, department_id=risk.department_id, data=shown)
    if request.method == "GET":
        form.version.data = risk.version
    if not form.validate_on_submit():
        return render_form(FORM, form, scale=scale, risk=risk)
    try:
        services.update_risk(
            current_user, risk, kind=form.kind.data, description=form.description.data,
            cause=form.cause.data, consequence=form.consequence.data,
            likelihood=form.likelihood.data, impact=form.impact.data,
            residual_likelihood=form.residual_likelihood.data or None,
            residual_impact=form.residual_impact.data or None,
            process_id=form.process_id.data or None, review_on=form.review_on.data,
            today=clock.today(), expected_version=form.version.data)
    except DomainError as error:
        return form_error(form, error, FORM, scale=scale, risk=risk)
    flash(_("%(reference)s saved.", reference=risk.reference), "success")
    return back(risk)


@bp.get("/heat-map")
@login_required
def heat_map():
    """The heat maps before and after treatment, of the organisation or one department."""
    department_id = request.args.get("department", type=int)
    readable_ids = rules.readable_department_ids(current_user)
    if department_id is None and readable_ids is not None:
        # Those who read only some departments start with their first.
        department_id = min(readable_ids) if readable_ids else None
    if department_id is None and readable_ids is not None:
        abort(403)
    if department_id is not None and not rules.may_read_department(current_user, department_id):
        rules.ensure(False, _("You may not open this department's risks."))
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else "risk"
    scale = services.current_scale()
    departments = [(i, label) for i, label in org_queries.department_choices(locale())
                   if readable_ids is None or i in readable_ids]
    return render_template("quality/risks/heat_map.html", scale=scale, kind=kind,
                           department_id=department_id, departments=departments,
                           organisation=readable_ids is None,
                           maps=maps_for(scale, department_id, kind, departments), **LABELS)


@bp.route("/scale", methods=["GET", "POST"])
@login_required
def scale():
    """The organisation's scale (3×3 or 5×5) and its level bands."""
    rules.ensure_set_scale(current_user)
    current = services.current_scale()
    form = ScaleForm()
    if request.method == "GET":
        form.size.data, form.version.data = current.size, current.version
        for band in current.bands:
            form[f"{band.level}_from"].data, form[f"{band.level}_to"].data = band.low, band.high
    context = {"current": current, "levels": LEVELS_IN_FORM, **LABELS}
    if not form.validate_on_submit():
        return render_form("quality/risks/scale.html", form, **context)
    try:
        services.set_scale(current_user, size=form.size.data, bands=form.bands(),
                           expected_version=form.version.data)
    except DomainError as error:
        return form_error(form, error, "quality/risks/scale.html", **context)
    flash(_("The risk scale is saved."), "success")
    return redirect(url_for("quality.risks.scale"))
