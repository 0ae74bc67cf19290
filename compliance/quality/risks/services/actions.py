"""Treatment actions of a risk: planned, changed and deleted by its managers, marked done by
their owners. A done action is the record of the treatment (the reports count it): it is no
longer changed or deleted."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.core.db import check_version, utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.quality.risks import rules
from compliance.quality.risks.models import Risk, RiskAction
from compliance.quality.risks.services.risks import require_open


def add_action(actor, risk: Risk, *, description: str, owner_id: int, due_on: date | None,
               today: date) -> RiskAction:
    """Plan a treatment action: what, who, by when."""
    rules.ensure_manage(actor, risk)
    require_open(risk)
    fields = _checked(description, owner_id, due_on, today)
    action = RiskAction(risk=risk, status="open", created_by_id=getattr(actor, "id", None),
                        created_at=utcnow(), **fields)
    db.session.add(action)
    db.session.flush()
    record(actor, "risk.action_add", "risk", risk.id, after=action.snapshot())
    return action


def _checked(description: str, owner_id: int | None, due_on: date | None, today: date,
             kept_due_on: date | None = None) -> dict:
    """The action's fields, checked; a due date already past is kept if left unchanged."""
    if not (description or "").strip():
        raise DomainError(_("Describe the action."), field="description")
    owner = db.session.get(User, owner_id or 0)
    if owner is None or not owner.active:
        raise DomainError(_("Choose who owns this action."), field="owner_id")
    if due_on is None or (due_on < today and due_on != kept_due_on):
        raise DomainError(_("The due date cannot be in the past."), field="due_on")
    return {"description": description.strip(), "owner_id": owner.id, "due_on": due_on}


def _ensure_changeable(actor, risk: Risk, action: RiskAction,
                       expected_version: int | None) -> None:
    rules.ensure_manage(actor, risk)
    require_open(risk)
    if action.status != "open":
        raise DomainError(_("This action is done: it is the record of the treatment and no "
                            "longer changes."), status=409)
    check_version(action, expected_version, _("Someone else changed this action while you "
                                              "were editing it. Reload the page and apply "
                                              "your change again."))


def edit_action(actor, risk: Risk, action: RiskAction, *, description: str,
                owner_id: int | None, due_on: date | None, today: date,
                expected_version: int | None) -> RiskAction:
    """Change what an open treatment action says, who owns it or by when."""
    _ensure_changeable(actor, risk, action, expected_version)
    fields = _checked(description, owner_id, due_on, today, kept_due_on=action.due_on)
    before = action.snapshot()
    for name, value in fields.items():
        setattr(action, name, value)
    db.session.flush()
    record(actor, "risk.action_edit", "risk", risk.id, before=before, after=action.snapshot())
    return action


def delete_action(actor, risk: Risk, action: RiskAction, *,
                  expected_version: int | None) -> None:
    """Delete an open treatment action planned by mistake or no longer wanted."""
    _ensure_changeable(actor, risk, action, expected_version)
    before = action.snapshot()
    risk.actions.remove(action)
    db.session.delete(action)
    db.session.flush()
    record(actor, "risk.action_delete", "risk", risk.id, before=before)


def complete_action(actor, risk: Risk, action: RiskAction, *, note: str, today: date,
                    expected_version: int | None) -> RiskAction:
    """The owner (or a manager) marks a treatment action done, with what was done."""
    rules.ensure_complete_action(actor, action)
    require_open(risk)
    if action.status != "open":
        raise DomainError(_("This action is done already."), status=409)
    check_version(action, expected_version, _("Someone else changed this action while you "
                                              "were editing it. Reload the page and apply "
                                              "your change again."))
    before = action.snapshot()
    action.status, action.done_on, action.done_note = "done", today, (note or "").strip()
    db.session.flush()
    record(actor, "risk.action_done", "risk", risk.id, before=before, after=action.snapshot())
    return action
