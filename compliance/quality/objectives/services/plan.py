"""The plan of an objective (6.2.2): adding and changing plan items, marking them done or
not done again. Every change of an item checks its `version` (a stale or missing one is a
409); an evaluated objective's plan no longer changes."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.quality.objectives import rules
from compliance.quality.objectives.models import Objective, PlanItem
from compliance.quality.objectives.services.common import (
    SHORT_LIMIT,
    check_version,
    clean,
    require_open,
)


def _fields(objective: Objective, *, description: str, resources: str, owner_id: int | None,
            due_on: date | None, evaluation_method: str) -> dict:
    owner = db.session.get(User, owner_id or 0)
    if owner is None or not owner.active:
        raise DomainError(_("Choose who carries out this step."), field="owner_id")
    if due_on is None:
        raise DomainError(_("Give the due date."), field="due_on")
    if due_on < date(objective.year, 1, 1):
        raise DomainError(_("The due date must fall in %(year)d or later.",
                            year=objective.year), field="due_on")
    return {"description": clean(description, field="description",
                                 missing=_("Say what will be done.")),
            "resources": clean(resources, field="resources", limit=SHORT_LIMIT),
            "owner_id": owner.id, "due_on": due_on,
            "evaluation_method": clean(evaluation_method, field="evaluation_method",
                                       limit=SHORT_LIMIT,
                                       missing=_("Say how the result will be evaluated."))}


def _ensure_plan(actor, objective: Objective) -> None:
    rules.ensure(rules.may_plan(actor, objective),
                 _("Only a coordinator or the head of the department can change the plan."))
    require_open(objective)


def add_item(actor, objective: Objective, *, description: str, resources: str = "",
             owner_id: int | None, due_on: date | None, evaluation_method: str) -> PlanItem:
    """Add a step to the objective's plan."""
    _ensure_plan(actor, objective)
    item = PlanItem(objective_id=objective.id, created_at=utcnow(), done=False,
                    **_fields(objective, description=description, resources=resources,
                              owner_id=owner_id, due_on=due_on,
                              evaluation_method=evaluation_method))
    db.session.add(item)
    db.session.flush()
    record(actor, "objective.item_add", "objective", objective.id, after=item.snapshot())
    return item


def edit_item(actor, objective: Objective, item: PlanItem, *, description: str,
              resources: str, owner_id: int | None, due_on: date | None,
              evaluation_method: str, expected_version: int | None) -> PlanItem:
    """Change what a plan item says, who carries it out or by when."""
    _ensure_plan(actor, objective)
    check_version(item, expected_version)
    values = _fields(objective, description=description, resources=resources,
                     owner_id=owner_id, due_on=due_on, evaluation_method=evaluation_method)
    before = item.snapshot()
    for name, value in values.items():
        setattr(item, name, value)
    db.session.flush()
    record(actor, "objective.item_edit", "objective", objective.id, before=before,
           after=item.snapshot())
    return item


def complete_item(actor, objective: Objective, item: PlanItem, *, done_on: date | None,
                  today: date, expected_version: int | None) -> PlanItem:
    """The owner (or a manager) marks a plan item done, on the day given (today if none)."""
    rules.ensure_complete_item(actor, item)
    require_open(objective)
    if item.done:
        raise DomainError(_("This plan item is already done."), status=409)
    check_version(item, expected_version)
    done_on = done_on or today
    if done_on > today:
        raise DomainError(_("The date cannot be in the future."), field="done_on")
    before = item.snapshot()
    item.done, item.done_on, item.done_by_id = True, done_on, getattr(actor, "id", None)
    db.session.flush()
    record(actor, "objective.item_done", "objective", objective.id, before=before,
           after=item.snapshot())
    return item


def reopen_item(actor, objective: Objective, item: PlanItem, *,
                expected_version: int | None) -> PlanItem:
    """Mark a plan item not done after all: it counts as open again."""
    rules.ensure_complete_item(actor, item)
    require_open(objective)
    if not item.done:
        raise DomainError(_("This plan item is not done."), status=409)
    check_version(item, expected_version)
    before = item.snapshot()
    item.done, item.done_on, item.done_by_id = False, None, None
    db.session.flush()
    record(actor, "objective.item_reopen", "objective", objective.id, before=before,
           after=item.snapshot())
    return item
