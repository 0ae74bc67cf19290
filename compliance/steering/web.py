"""The steering committee and the yearly plan: one page listing both (readers of the scope),
a member's and a task's page with its form (coordinators) and history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from compliance.audit_trail.readable import history_of
from compliance.core import clock, tenancy
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.http import form_error, render_form
from compliance.org import queries as org_queries
from compliance.org.labels import NONE_CHOSEN
from compliance.scope import rules
from compliance.steering import jobs, services
from compliance.steering.forms import MemberForm, TaskForm
from compliance.steering.labels import ROLE_LABELS
from compliance.steering.models import PlanTask, SteeringMember

bp = Blueprint("steering", __name__, url_prefix="/steering")
MEMBER = "steering/member.html"
TASK = "steering/task.html"


@bp.get("/", endpoint="index")
@login_required
def index():
    """The committee's members and the year's plan."""
    rules.ensure_read(current_user)
    year = request.args.get("year", type=int) or clock.today().year
    if not 2000 <= year <= 2100:  # a year the plan can hold (and the database's integer)
        year = clock.today().year
    members = db.session.scalars(tenancy.in_organisation(
        current_user, select(SteeringMember), SteeringMember)
        .order_by(SteeringMember.left_on.is_not(None), SteeringMember.id)).all()
    tasks = db.session.scalars(tenancy.in_organisation(
        current_user, select(PlanTask).where(PlanTask.year == year), PlanTask)
        .order_by(PlanTask.due_on, PlanTask.id)).all()
    return render_template("steering/index.html", members=members, tasks=tasks, year=year,
                           roles=ROLE_LABELS, today=clock.today(),
                           may_manage=rules.may_manage_scope(current_user))


def _people() -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in org_queries.active_users()]


def _save(model, template: str, form, row=None):
    """The shared steps of adding and changing a member or a task."""
    context = {"row": row, "roles": ROLE_LABELS,
               "may_manage": rules.may_manage_scope(current_user),
               "history": history_of(model.__tablename__, row.id, limit=100) if row else None}
    if not form.is_submitted():
        if row is not None:
            form.version.data = row.version
        return render_form(template, form, **context)
    rules.ensure_manage(current_user)
    if not form.validate():
        return render_form(template, form, **context)
    extra = {"today": clock.today()} if model is PlanTask else {}
    try:
        if row is None:
            row = services.add(current_user, model, **form.values(), **extra)
        else:
            services.edit(current_user, row, form.version.data, **form.values(), **extra)
    except DomainError as error:
        return form_error(form, error, template, **context)
    flash(_("Saved."), "success")
    if model is SteeringMember:
        return redirect(url_for("steering.member", member_id=row.id))
    return redirect(url_for("steering.task", task_id=row.id))


def _member_form(row=None) -> MemberForm:
    form = MemberForm(obj=row)
    form.user_id.choices = [(0, NONE_CHOSEN), *_people()]
    if row is not None and not form.is_submitted():
        form.user_id.data = row.user_id or 0
    return form


def _task_form(row=None) -> TaskForm:
    form = TaskForm(obj=row)
    form.owner_id.choices = _people()
    if row is None and not form.is_submitted():
        form.year.data = clock.today().year
    return form


@bp.route("/members/new", methods=["GET", "POST"], endpoint="create_member")
@login_required
def create_member():
    """Add a member of the committee."""
    rules.ensure_manage(current_user)
    return _save(SteeringMember, MEMBER, _member_form())


@bp.route("/members/<int:member_id>", methods=["GET", "POST"], endpoint="member")
@login_required
def member(member_id: int):
    """One member: the form (coordinators) and the history."""
    rules.ensure_read(current_user)
    row = services.get(current_user, SteeringMember, member_id)
    return _save(SteeringMember, MEMBER, _member_form(row), row)


@bp.route("/plan/new", methods=["GET", "POST"], endpoint="create_task")
@login_required
def create_task():
    """Add a task to a year's plan."""
    rules.ensure_manage(current_user)
    return _save(PlanTask, TASK, _task_form())


@bp.route("/plan/<int:task_id>", methods=["GET", "POST"], endpoint="task")
@login_required
def task(task_id: int):
    """One task: the form (coordinators) and the history."""
    rules.ensure_read(current_user)
    row = services.get(current_user, PlanTask, task_id)
    return _save(PlanTask, TASK, _task_form(row), row)


def register(app) -> None:
    """Mount the committee's pages and add the plan's job."""
    app.register_blueprint(bp)
    jobs.register(app)
