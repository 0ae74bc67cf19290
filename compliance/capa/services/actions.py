"""The action plan: adding actions (perhaps asking for a document revision), completing them."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.auth.permissions import can
from compliance.capa import rules
from compliance.capa.models import Action, CorrectiveAction
from compliance.capa.services.common import require_state
from compliance.capa.services.files import store_file
from compliance.capa.services.verification import plan_complete, schedule_check
from compliance.core.db import utcnow
from compliance.core.errors import DomainError, PermissionDenied
from compliance.core.extensions import db
from compliance.documents import services as documents


def add_action(actor, ca: CorrectiveAction, *, description: str, owner_id: int, due_on: date,
               today: date, document_id: int | None = None) -> Action:
    """Plan an action; the first one starts the plan. It may ask for a document revision."""
    rules.ensure_manage(actor, ca)
    require_state(ca, *rules.PLANNING_STATES)
    if not (description or "").strip():
        raise DomainError(_("Describe the action."), field="description")
    owner = db.session.get(User, owner_id or 0)
    if owner is None or not owner.active:
        raise DomainError(_("Choose who carries out the action."), field="owner_id")
    if due_on is None or due_on < today:
        raise DomainError(_("The due date cannot be in the past."), field="due_on")
    action = Action(corrective_action_id=ca.id, description=description.strip(),
                    owner_id=owner.id, due_on=due_on, status="open", created_by_id=actor.id,
                    created_at=utcnow())
    if document_id:
        document = documents.get_document(document_id, for_update=True)
        # The documents domain's own permission: who may draft a revision of this document.
        if not can(actor, "documents.draft", document.department_id):
            raise PermissionDenied(_("You may not revise this document."))
        summary = _("Revision requested by corrective action %(reference)s: %(action)s",
                    reference=ca.reference, action=action.description)
        revision = documents.reopen_from_effective(actor, document, summary[:2000])
        action.document_id, action.revision_id = document.id, revision.id
    before = ca.status
    ca.status = "actions_in_progress"
    db.session.add(action)
    db.session.flush()
    record(actor, "corrective.action_add", "corrective_action", ca.id,
           before={"status": before}, after={"status": ca.status, **action.snapshot()})
    return action


def complete_action(actor, ca: CorrectiveAction, action: Action, *, today: date, note: str,
                    stream=None, filename: str = "") -> Action:
    """The owner (or a manager) marks an action done; the last one schedules the check."""
    rules.ensure_complete_action(actor, action)
    require_state(ca, "actions_in_progress")
    if action.status == "done":
        raise DomainError(_("This action is already done."), status=409)
    if stream is not None:
        stored = store_file(actor, ca, stream, filename, action=action)
        record(actor, "corrective.file", "corrective_action", ca.id,
               after={"action": action.id, "sha256": stored.blob_sha256,
                      "filename": stored.filename})
    action.status, action.done_on, action.done_note = "done", today, (note or "").strip()
    db.session.flush()
    record(actor, "corrective.action_done", "corrective_action", ca.id,
           before={"action": action.id, "status": "open"},
           after={"action": action.id, "status": "done", "done_on": today,
                  "note": action.done_note})
    if plan_complete(ca):
        schedule_check(actor, ca, today)
    return action
