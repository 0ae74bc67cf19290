"""Deleting an objective set by mistake, or a step of its plan that will not be taken. Both
check the `version` shown (a stale or missing one is a 409) and leave an audit event with what
was deleted; an evaluated objective, and a step already done, are kept (the evaluation and
the plan carried out are the record 6.2 asks for)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import update

from compliance.audit_trail.services import record
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.quality.objectives import rules
from compliance.quality.objectives.models import Objective, PlanItem
from compliance.quality.objectives.services.common import check_version, require_open


def delete_objective(actor, objective: Objective, *, expected_version: int | None) -> None:
    """Delete an objective not yet evaluated, with its plan and progress notes; objectives
    copied from it keep their own text and lose only the pointer to it."""
    rules.ensure_manage(actor, objective)
    require_open(objective)
    check_version(objective, expected_version)
    before = {**objective.snapshot(), "items": [i.snapshot() for i in objective.items],
              "notes": len(objective.notes)}
    db.session.execute(update(Objective).where(Objective.copied_from_id == objective.id)
                       .values(copied_from_id=None).execution_options(
                           synchronize_session=False))
    for row in [*objective.items, *objective.notes]:
        db.session.delete(row)
    db.session.delete(objective)
    db.session.flush()
    record(actor, "objective.delete", "objective", objective.id, before=before)


def delete_item(actor, objective: Objective, item: PlanItem, *,
                expected_version: int | None) -> None:
    """Delete a step of the plan that is not done."""
    rules.ensure(rules.may_plan(actor, objective),
                 _("Only a coordinator or the head of the department can change the plan."))
    require_open(objective)
    if item.done:
        raise DomainError(_("This step is done: mark it not done first if it was not "
                            "carried out."), status=409)
    check_version(item, expected_version)
    before = item.snapshot()
    db.session.delete(item)
    db.session.flush()
    record(actor, "objective.item_delete", "objective", objective.id, before=before)
