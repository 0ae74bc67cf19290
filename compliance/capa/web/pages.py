"""The parent blueprint `capa`: the register (and its export), raising by hand, the page."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.audits.services import grades
from compliance.capa import export, queries, rules, services
from compliance.capa.forms import RaiseForm
from compliance.capa.models import TARGET_STATES
from compliance.capa.web.common import LABELS, back, detail_page, readable
from compliance.core import clock, registers
from compliance.core.collation import sort_key
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.org import queries as org_queries

bp = Blueprint("capa", __name__, url_prefix="/corrective-actions")
FORM = "capa/form.html"


# What the register remembers for each person.
FILTER_KEYS = ("department", "source", "grade", "status", "overdue", "sort")
# The register's columns that sort, each with its key (the query's order breaks ties).
SORTS = {
    "reference": lambda ca: sort_key(ca.reference),
    "department": lambda ca: sort_key(ca.department.code),
    "state": lambda ca: ca.status,
    "target": lambda ca: (ca.target_on is None, ca.target_on or date.max),
    "age": lambda ca: ca.raised_on,
}


def _filters(args=None) -> queries.Filters:
    args = request.args if args is None else args
    department = args.get("department")
    return queries.Filters(department_id=int(department) if str(department or "").isdigit()
                           else None,
                           source=args.get("source") or None, grade=args.get("grade") or None,
                           status=args.get("status") or None,
                           overdue=args.get("overdue") == "1")


@bp.get("/", endpoint="register")
@login_required
def register_page():
    """Every corrective action the user may see, with filters, sorting and ageing."""
    kept = registers.remembered(current_user, "capa", request.args, FILTER_KEYS)
    filters, today = _filters(kept.args), clock.today()
    sort = registers.sort_from(kept.args.get("sort"), SORTS, "-age")
    rows = queries.register(current_user, filters, today)
    if kept.args.get("sort"):
        rows = registers.sorted_rows(rows, sort, SORTS)
    return render_template("capa/register.html", rows=rows, filters=filters, today=today,
                           is_overdue=queries.is_overdue, args=kept.args, sort=sort,
                           restored=kept.restored, due=registers.due_marker(today),
                           target_states=TARGET_STATES,
                           departments=org_queries.department_choices(str(get_locale())),
                           grades=grades.all_grades(), **LABELS,
                           may_raise=rules.may_raise_any(current_user))


@bp.get("/export.<any(csv, xlsx):fmt>")
@login_required
def export_register(fmt: str):
    """The register, as filtered, as CSV or XLSX."""
    today = clock.today()
    rows = queries.register(current_user, _filters(), today)
    return export.response(fmt, rows, today, str(get_locale()))


def _raise_form() -> RaiseForm:
    locale = str(get_locale())
    form = RaiseForm()
    allowed = rules.managed_department_ids(current_user)
    form.department_id.choices = [(i, label) for i, label in
                                  org_queries.department_choices(locale)
                                  if allowed is None or i in allowed]
    form.grade.choices = [(g.code, g.name(locale)) for g in grades.all_grades()]
    form.verifier_id.choices = [(0, "—")] + [(u.id, u.name)
                                             for u in queries.verifier_choices()]
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Raise a nonconformity by hand (complaint, process problem, other)."""
    rules.ensure(rules.may_raise_any(current_user),
                 _("Only a coordinator or a department head raises corrective actions."))
    form = _raise_form()
    if not form.validate_on_submit():
        return render_form(FORM, form)
    try:
        ca = services.raise_by_hand(current_user, today=clock.today(), source=form.source.data,
                                    department_id=form.department_id.data,
                                    grade=form.grade.data, problem=form.problem.data,
                                    verifier_id=form.verifier_id.data or None,
                                    target_on=form.target_on.data)
    except DomainError as error:
        return form_error(form, error, FORM)
    flash(_("Corrective action %(reference)s raised.", reference=ca.reference), "success")
    return back(ca)


@bp.get("/<int:ca_id>")
@login_required
def detail(ca_id: int):
    """The corrective action's page: problem, containment, analysis, actions, checks."""
    return detail_page(readable(ca_id))
