"""Changing the action plan: editing, rescheduling, reassigning and cancelling an action.

Only an open action of a corrective action not closed yet may change, and only by a
coordinator or the head of the department (`rules.ensure_change_action`). Each verb checks
the action's `version` (a stale or missing one is a 409) and records its before and after.
Reassigning sends `core.signals.ca_action_reassigned` (sender: the Action; keywords `actor`,
`previous_owner_id`), so the new owner hears of it (notifications.handlers)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.capa import rules
from compliance.capa.labels import ACTION_LABELS
from compliance.capa.models import Action, CorrectiveAction
from compliance.capa.services.verification import plan_complete, schedule_check
from compliance.core import signals
from compliance.core.db import check_version
from compliance.core.errors import DomainError
from compliance.core.extensions import db

MAX_REASON = 2000


def _ready(actor, ca: CorrectiveAction, action: Action, expected_version: int | None) -> None:
    rules.ensure_change_action(actor, action)
    if ca.status == "closed":
        raise DomainError(_("The corrective action is closed: its actions can no longer "
                            "change."), status=409)
    if action.status != "open":
        raise DomainError(_("Only an open action can change; this one is %(state)s.",
                            state=str(ACTION_LABELS[action.status]).lower()), status=409)
    check_version(action, expected_version, _("Someone else changed this action while you "
                                               "were editing it. Reload the page and apply "
                                               "your change again."))


def _reason(reason: str, message: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(message, field="reason")
    if len(text) > MAX_REASON:
        raise DomainError(_("Keep the reason under %(most)d characters.", most=MAX_REASON),
                          field="reason")
    return text


def _record(actor, ca: CorrectiveAction, verb: str, action: Action, before: dict,
            after: dict) -> None:
    record(actor, f"corrective.action_{verb}", "corrective_action", ca.id,
           before={"action": action.id, **before}, after={"action": action.id, **after})


def edit_action(actor, ca: CorrectiveAction, action: Action, *, description: str,
                expected_version: int | None) -> Action:
    """Reword an open action."""
    _ready(actor, ca, action, expected_version)
    text = (description or "").strip()
    if not text:
        raise DomainError(_("Describe the action."), field="description")
    if text == action.description:
        raise DomainError(_("The action already says this."), field="description")
    before = action.description
    action.description = text
    db.session.flush()
    _record(actor, ca, "edit", action, {"description": before}, {"description": text})
    return action


def reschedule_action(actor, ca: CorrectiveAction, action: Action, *, due_on: date,
                      reason: str, today: date, expected_version: int | None) -> Action:
    """Move an open action's due date, saying why."""
    _ready(actor, ca, action, expected_version)
    if due_on is None or due_on < today:
        raise DomainError(_("The due date cannot be in the past."), field="due_on")
    if due_on == action.due_on:
        raise DomainError(_("This is already the due date."), field="due_on")
    why = _reason(reason, _("Say why the due date moves."))
    before = action.due_on
    action.due_on = due_on
    db.session.flush()
    _record(actor, ca, "reschedule", action, {"due_on": before},
            {"due_on": due_on, "reason": why})
    return action


def reassign_action(actor, ca: CorrectiveAction, action: Action, *, owner_id: int,
                    reason: str = "", expected_version: int | None) -> Action:
    """Give an open action to someone else, who is told at once."""
    _ready(actor, ca, action, expected_version)
    owner = db.session.get(User, owner_id or 0)
    if owner is None or not owner.active:
        raise DomainError(_("Choose who carries out the action."), field="owner_id")
    if owner.id == action.owner_id:
        raise DomainError(_("This person already owns the action."), field="owner_id")
    why = (reason or "").strip()[:MAX_REASON]
    previous = action.owner_id
    action.owner_id = owner.id
    db.session.flush()
    db.session.expire(action, ["owner"])
    _record(actor, ca, "reassign", action, {"owner_id": previous},
            {"owner_id": owner.id, "reason": why})
    signals.ca_action_reassigned.send(action, actor=actor, previous_owner_id=previous)
    return action


def cancel_action(actor, ca: CorrectiveAction, action: Action, *, reason: str, today: date,
                  expected_version: int | None) -> Action:
    """Cancel an open action, saying why; when what is left is all done, the check is
    scheduled as if the last one had been done."""
    _ready(actor, ca, action, expected_version)
    why = _reason(reason, _("Say why the action is cancelled."))
    action.status, action.cancelled_on, action.cancel_reason = "cancelled", today, why
    db.session.flush()
    _record(actor, ca, "cancel", action, {"status": "open"},
            {"status": "cancelled", "cancelled_on": today, "reason": why})
    if ca.status == "actions_in_progress" and plan_complete(ca):
        schedule_check(actor, ca, today)
    return action
