"""Treatment actions of a risk: planned by its managers, marked done by their owners."""

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
    if not (description or "").strip():
        raise DomainError(_("Describe the action."), field="description")
    owner = db.session.get(User, owner_id or 0)
    if owner is None or not owner.active:
        raise DomainError(_("Choose who owns this action."), field="owner_id")
    if due_on is None or due_on < today:
        raise DomainError(_("The due date cannot be in the past."), field="due_on")
    action = RiskAction(risk=risk, description=description.strip(), owner_id=owner.id,
                        due_on=due_on, status="open", created_by_id=getattr(actor, "id", None),
                        created_at=utcnow())
    db.session.add(action)
    db.session.flush()
    record(actor, "risk.action_add", "risk", risk.id, after=action.snapshot())
    return action


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
