"""Changing and deleting an open treatment action (the delete button sits on the edit
page): routes of the child blueprint `quality.risks`."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.quality.risks import rules, services
from compliance.quality.risks.forms import DeleteActionForm, EditActionForm
from compliance.quality.risks.web.common import back, bp, owner_choices, readable

ACTION_FORM = "quality/risks/action_form.html"


@bp.route("/<int:risk_id>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(risk_id: int, action_id: int):
    """Change what an open treatment action says, who owns it or by when."""
    risk = readable(risk_id, for_update=request.method == "POST")
    action = services.get_action(risk, action_id)
    rules.ensure_manage(current_user, risk)
    form = EditActionForm(obj=action)
    form.owner_id.choices = owner_choices()
    delete = DeleteActionForm(formdata=None)
    delete.version.data = action.version
    if not form.is_submitted():
        form.version.data = action.version
    shown = {"risk": risk, "action": action, "delete_form": delete,
             "may_delete": "delete" in rules.allowed_on_action(current_user, action)}
    if not form.validate_on_submit():
        return render_form(ACTION_FORM, form, **shown)
    try:
        services.edit_action(current_user, risk, action, description=form.description.data,
                             owner_id=form.owner_id.data, due_on=form.due_on.data,
                             today=clock.today(), expected_version=form.version.data)
    except DomainError as error:
        return form_error(form, error, ACTION_FORM, **shown)
    flash(_("Treatment action saved."), "success")
    return back(risk, f"#action-{action.id}")


@bp.post("/<int:risk_id>/actions/<int:action_id>/delete")
@login_required
def delete_action(risk_id: int, action_id: int):
    """Delete an open treatment action; a refusal (done, stale version) keeps its page."""
    risk = readable(risk_id, for_update=True)
    action = services.get_action(risk, action_id)
    rules.ensure_manage(current_user, risk)
    form = DeleteActionForm()
    services.delete_action(current_user, risk, action, expected_version=form.version.data)
    flash(_("Treatment action deleted."), "success")
    return back(risk, "#actions")
