"""Deleting an objective and a step of its plan (from their edit pages): routes of the child
blueprint `quality.objectives`. A refusal (403, a stale version's 409, an evaluated objective
or a step done) keeps its own page with the reason."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.quality.objectives import rules, services
from compliance.quality.objectives.forms import DeleteForm
from compliance.quality.objectives.web.common import back, bp, readable


@bp.post("/<int:objective_id>/delete")
@login_required
def delete(objective_id: int):
    """Delete an objective set by mistake, with its plan and notes."""
    objective = readable(objective_id, for_update=True)
    rules.ensure_manage(current_user, objective)
    form = DeleteForm()
    year, department = objective.year, objective.department_id
    services.delete_objective(current_user, objective, expected_version=form.version.data)
    flash(_("Objective deleted."), "success")
    return redirect(url_for("quality.objectives.index", year=year,
                            department=department or "org"))


@bp.post("/<int:objective_id>/items/<int:item_id>/delete")
@login_required
def delete_item(objective_id: int, item_id: int):
    """Delete a step of the plan that will not be taken."""
    objective = readable(objective_id, for_update=True)
    item = services.get_item(objective, item_id)
    rules.ensure_manage(current_user, objective)
    form = DeleteForm()
    services.delete_item(current_user, objective, item, expected_version=form.version.data)
    flash(_("Plan item deleted."), "success")
    return back(objective, "#plan")
