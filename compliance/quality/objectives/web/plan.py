"""The plan (adding, changing, marking items done or not done), progress notes and the
year-end evaluation: routes of the child blueprint `quality.objectives`."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.quality.objectives import rules, services
from compliance.quality.objectives.forms import EditPlanItemForm
from compliance.quality.objectives.web.common import (
    back,
    bp,
    delete_form,
    department_label,
    invalid,
    invalid_row,
    owner_choices,
    posted,
    posted_row,
    readable,
    refused,
    refused_row,
)

ITEM_FORM = "quality/objectives/item_form.html"


def _item_fields(form) -> dict:
    return {"description": form.description.data, "resources": form.resources.data or "",
            "owner_id": form.owner_id.data, "due_on": form.due_on.data,
            "evaluation_method": form.evaluation_method.data}


@bp.post("/<int:objective_id>/items")
@login_required
def add_item(objective_id: int):
    """Add a step to the plan."""
    objective = readable(objective_id, for_update=True)
    rules.ensure_manage(current_user, objective)
    form = posted("item")
    if not form.validate_on_submit():
        return invalid(objective, "item", form)
    try:
        services.add_item(current_user, objective, **_item_fields(form))
    except DomainError as error:
        return refused(objective, "item", form, error)
    return back(objective, "#plan")


@bp.route("/<int:objective_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(objective_id: int, item_id: int):
    """Change a step of the plan."""
    objective = readable(objective_id, for_update=request.method == "POST")
    item = services.get_item(objective, item_id)
    rules.ensure_manage(current_user, objective)
    form = EditPlanItemForm(obj=item)
    form.owner_id.choices = owner_choices()
    if not form.is_submitted():
        form.version.data = item.version
    context = {"objective": objective, "item": item, "delete_form": delete_form(item),
               "department_label": department_label(objective.department)}
    if not form.validate_on_submit():
        return render_form(ITEM_FORM, form, **context)
    try:
        services.edit_item(current_user, objective, item, expected_version=form.version.data,
                           **_item_fields(form))
    except DomainError as error:
        return form_error(form, error, ITEM_FORM, **context)
    flash(_("Plan item saved."), "success")
    return redirect(url_for("quality.objectives.detail", objective_id=objective.id,
                            _anchor=f"item-{item.id}"))


@bp.post("/<int:objective_id>/items/<int:item_id>/done")
@login_required
def complete_item(objective_id: int, item_id: int):
    """The owner (or a manager) marks a step done."""
    objective = readable(objective_id, for_update=True)
    item = services.get_item(objective, item_id)
    rules.ensure_complete_item(current_user, item)
    form = posted_row("done", item)
    if not form.validate_on_submit():
        return invalid_row(objective, item, form)
    try:
        services.complete_item(current_user, objective, item, done_on=form.done_on.data,
                               today=clock.today(), expected_version=form.version.data)
    except DomainError as error:
        return refused_row(objective, item, form, error)
    return back(objective, f"#item-{item.id}")


@bp.post("/<int:objective_id>/items/<int:item_id>/reopen")
@login_required
def reopen_item(objective_id: int, item_id: int):
    """Mark a step not done after all."""
    objective = readable(objective_id, for_update=True)
    item = services.get_item(objective, item_id)
    rules.ensure_complete_item(current_user, item)
    form = posted_row("reopen", item)
    if not form.validate_on_submit():
        return invalid_row(objective, item, form)
    try:
        services.reopen_item(current_user, objective, item,
                             expected_version=form.version.data)
    except DomainError as error:
        return refused_row(objective, item, form, error)
    return back(objective, f"#item-{item.id}")


@bp.post("/<int:objective_id>/progress")
@login_required
def progress(objective_id: int):
    """Note how the objective is doing (and, checked by hand, the value measured)."""
    objective = readable(objective_id, for_update=True)
    rules.ensure_manage(current_user, objective)
    form = posted("progress")
    if not form.validate_on_submit():
        return invalid(objective, "progress", form)
    try:
        services.record_progress(current_user, objective, noted_on=form.noted_on.data,
                                 text=form.text.data, value=form.value.data,
                                 today=clock.today())
    except DomainError as error:
        return refused(objective, "progress", form, error)
    return back(objective, "#progress")


@bp.post("/<int:objective_id>/evaluate")
@login_required
def evaluate(objective_id: int):
    """Record (or correct) the year-end evaluation."""
    objective = readable(objective_id, for_update=True)
    rules.ensure_manage(current_user, objective)
    form = posted("evaluation")
    if not form.validate_on_submit():
        return invalid(objective, "evaluation", form)
    try:
        services.evaluate(current_user, objective, result=form.result.data,
                          comment=form.comment.data, today=clock.today(),
                          expected_version=form.version.data)
    except DomainError as error:
        return refused(objective, "evaluation", form, error)
    flash(_("Evaluation recorded."), "success")
    return back(objective, "#evaluation")
