"""The objective list (by year and department), setting an objective, copying a year, the
objective's page and its edit form: routes of the child blueprint `quality.objectives`."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from compliance.auth.permissions import roles_of
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.quality.objectives import queries, rules, services
from compliance.quality.objectives.forms import CopyForm, EditObjectiveForm, ObjectiveForm
from compliance.quality.objectives.web.common import (
    LABELS,
    bp,
    delete_form,
    department_filter_choices,
    department_label,
    detail_page,
    locale,
    managed_choices,
    measured,
    measurement_choices,
    readable,
)

FORM = "quality/objectives/form.html"
COPY = "quality/objectives/copy.html"


def _default_department(user):
    """A department head's (or staff member's) own department; everyone else sees all."""
    if rules.may_read_all(user):
        return None
    for role in ("department_head", "staff"):
        own = sorted(user.memberships, key=lambda m: m.department.code)
        for membership in own:
            if membership.role == role:
                return membership.department_id
    return None


def _department_arg(user):
    raw = request.args.get("department", "")
    if raw == "all":
        return None
    if raw == queries.ORGANISATION:
        return queries.ORGANISATION
    # Ids fit in 32 bits: a longer number names nothing (and PostgreSQL would refuse it).
    if raw.isdigit() and len(raw) <= 9:
        return int(raw)
    return _default_department(user)


def _year_arg(name: str, today) -> int:
    year = request.args.get(name, type=int)
    return year if year is not None and 1900 <= year <= 9999 else today.year


@bp.get("/", endpoint="index")
@login_required
def index():
    """The objectives of a year, of one department or all (this year and a head's own
    department by default)."""
    rules.ensure(bool(roles_of(current_user)), _("You have no role yet. Ask an administrator."))
    today = clock.today()
    year = _year_arg("year", today)
    department = _department_arg(current_user)
    rows = queries.objective_list(current_user, year, department, today)
    return render_template("quality/objectives/index.html", rows=rows, year=year,
                           department=department, years=queries.years(current_user, today),
                           departments=department_filter_choices(current_user),
                           organisation=queries.ORGANISATION, today=today,
                           department_label=department_label,
                           may_create=rules.may_create_any(current_user), **LABELS)


def _new_form() -> ObjectiveForm:
    form = ObjectiveForm()
    form.department_id.choices = managed_choices(current_user)
    measurement_choices(form)
    if not form.is_submitted():
        form.year.data = _year_arg("year", clock.today())
        wanted = request.args.get("department", "")
        if wanted.isdigit() and len(wanted) <= 9:
            form.department_id.data = int(wanted)
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Set an objective for a department (or the organisation) and a year."""
    rules.ensure(rules.may_create_any(current_user),
                 _("Only a coordinator or a department head sets objectives."))
    form = _new_form()
    if not form.validate_on_submit():
        return render_form(FORM, form, objective=None)
    try:
        objective = services.create_objective(
            current_user, year=form.year.data, department_id=form.department_id.data or None,
            today=clock.today(), **measured(form))
    except DomainError as error:
        return form_error(form, error, FORM, objective=None)
    flash(_("Objective set. Now plan how it will be reached."), "success")
    return redirect(url_for("quality.objectives.detail", objective_id=objective.id,
                            _anchor="plan"))


@bp.get("/<int:objective_id>")
@login_required
def detail(objective_id: int):
    """The objective: how it is measured, its plan, its progress and its evaluation."""
    return detail_page(readable(objective_id))


@bp.route("/<int:objective_id>/edit", methods=["GET", "POST"])
@login_required
def edit(objective_id: int):
    """Reword the objective or change how it is measured."""
    objective = readable(objective_id, for_update=request.method == "POST")
    rules.ensure_manage(current_user, objective)
    form = EditObjectiveForm(obj=objective)
    measurement_choices(form)
    if not form.is_submitted():
        form.version.data = objective.version
    shown = {"objective": objective, "delete_form": delete_form(objective)}
    if not form.validate_on_submit():
        return render_form(FORM, form, **shown)
    try:
        services.edit_objective(current_user, objective, expected_version=form.version.data,
                                **measured(form))
    except DomainError as error:
        return form_error(form, error, FORM, **shown)
    flash(_("Objective saved."), "success")
    return redirect(url_for("quality.objectives.detail", objective_id=objective.id))


def _scope_choices() -> list[tuple[str, str]]:
    choices = [(str(i), label) for i, label in managed_choices(current_user) if i]
    if rules.managed_department_ids(current_user) is None:
        choices[:0] = [(services.EVERYWHERE, _("Every department and the organisation")),
                       (queries.ORGANISATION, _("The organisation as a whole"))]
    return choices


def _scope(value: str):
    if value == services.EVERYWHERE:
        return services.EVERYWHERE
    return None if value == queries.ORGANISATION else int(value)


@bp.route("/copy", methods=["GET", "POST"])
@login_required
def copy():
    """Copy one year's objectives, measurement and plan into another, in one step."""
    rules.ensure(rules.may_create_any(current_user),
                 _("Only a coordinator or a department head sets objectives."))
    form = CopyForm()
    form.scope.choices = _scope_choices()
    today = clock.today()
    if not form.is_submitted():
        # In the first half of the year last year's objectives are copied into this one;
        # from July on, this year's into the next.
        form.from_year.data = today.year - 1 if today.month < 7 else today.year
        form.to_year.data = form.from_year.data + 1
    if not form.validate_on_submit():
        return render_form(COPY, form)
    scope = _scope(form.scope.data)
    try:
        made = services.copy_year(current_user, from_year=form.from_year.data,
                                  to_year=form.to_year.data, scope=scope, today=today,
                                  locale=locale())
    except DomainError as error:
        return form_error(form, error, COPY)
    flash(ngettext("%(num)d objective of %(from)d copied into %(to)d, with its plan.",
                   "%(num)d objectives of %(from)d copied into %(to)d, with their plans.",
                   len(made), **{"from": form.from_year.data, "to": form.to_year.data}),
          "success")
    shown = "all" if scope == services.EVERYWHERE else (scope or queries.ORGANISATION)
    return redirect(url_for("quality.objectives.index", year=form.to_year.data,
                            department=shown))
