"""Child blueprint `capa.actions`: adding actions to the plan and marking them done."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user, login_required

from compliance.capa import rules, services
from compliance.capa.web.common import back, invalid, posted, readable, refused
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
