"""Child blueprint `capa.actions`: adding actions to the plan, marking them done, and changing
an open one (edit, reschedule, reassign, cancel)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user, login_required

from compliance.capa import rules, services
from compliance.capa.web.common import (
    back,
    invalid,
    invalid_change,
    posted,
    posted_change,
    readable,
    refused,
    refused_change,
)
from compliance.core import clock
from compliance.core.errors import DomainError

bp = Blueprint("actions", __name__)


@bp.post("/<int:ca_id>/actions")
@login_required
def add(ca_id: int):
    """Add an action to the plan."""
    ca = readable(ca_id, for_update=True)
    rules.ensure_manage(current_user, ca)
    form = posted("action", ca)
    if not form.validate_on_submit():
        return invalid(ca, "action", form)
    try:
        services.add_action(current_user, ca, description=form.description.data,
                            owner_id=form.owner_id.data, due_on=form.due_on.data,
                            today=clock.today(), document_id=form.document_id.data or None)
    except DomainError as error:
        return refused(ca, "action", form, error)
    return back(ca, "#actions")


@bp.post("/<int:ca_id>/actions/<int:action_id>/done")
@login_required
def complete(ca_id: int, action_id: int):
    """The owner marks an action done, with evidence."""
    ca = readable(ca_id, for_update=True)
    action = services.get_action(ca, action_id)
    form = posted("done", ca)
    if not form.validate_on_submit():
        return invalid(ca, "done", form, done_action_id=action.id)
    upload = form.file.data
    try:
        services.complete_action(current_user, ca, action, today=clock.today(),
                                 note=form.note.data, stream=upload.stream if upload else None,
                                 filename=upload.filename if upload else "")
    except DomainError as error:
        return refused(ca, "done", form, error, done_action_id=action.id)
    return back(ca, "#actions")


def _change(ca_id: int, action_id: int, name: str, apply):
    """One change of an open action: load, check who, validate the row's form, apply."""
    ca = readable(ca_id, for_update=True)
    action = services.get_action(ca, action_id)
    rules.ensure_change_action(current_user, action)
    form = posted_change(name, action)
    if not form.validate_on_submit():
        return invalid_change(ca, action, name, form)
    try:
        apply(ca, action, form)
    except DomainError as error:
        return refused_change(ca, action, name, form, error)
    return back(ca, f"#action-{action.id}")


@bp.post("/<int:ca_id>/actions/<int:action_id>/edit")
@login_required
def edit(ca_id: int, action_id: int):
    """Reword an open action."""
    return _change(ca_id, action_id, "edit", lambda ca, action, form: services.edit_action(
        current_user, ca, action, description=form.description.data,
        expected_version=form.version.data))


@bp.post("/<int:ca_id>/actions/<int:action_id>/reschedule")
@login_required
def reschedule(ca_id: int, action_id: int):
    """Move an open action's due date, with the reason."""
    return _change(ca_id, action_id, "reschedule",
                   lambda ca, action, form: services.reschedule_action(
                       current_user, ca, action, due_on=form.due_on.data,
                       reason=form.reason.data, today=clock.today(),
                       expected_version=form.version.data))


@bp.post("/<int:ca_id>/actions/<int:action_id>/reassign")
@login_required
def reassign(ca_id: int, action_id: int):
    """Give an open action to someone else (who is told)."""
    return _change(ca_id, action_id, "reassign",
                   lambda ca, action, form: services.reassign_action(
                       current_user, ca, action, owner_id=form.owner_id.data,
                       reason=form.reason.data or "", expected_version=form.version.data))


@bp.post("/<int:ca_id>/actions/<int:action_id>/cancel")
@login_required
def cancel(ca_id: int, action_id: int):
    """Cancel an open action, with the reason."""
    return _change(ca_id, action_id, "cancel", lambda ca, action, form: services.cancel_action(
        current_user, ca, action, reason=form.reason.data, today=clock.today(),
        expected_version=form.version.data))
