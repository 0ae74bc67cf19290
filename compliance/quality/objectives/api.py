"""Quality objectives under /api/v1/objectives: the list (the page's filters, a sort and a
keyset cursor) and one objective, read through the same rule book as the pages, and the
objective set, changed, planned, followed up and evaluated as its pages do."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from compliance.api import BEARER, json_errors, versions
from compliance.api.guards import rules_first, visible_one
from compliance.api.pages import list_of, sorted_page
from compliance.core import clock
from compliance.quality.objectives import rules as objective_rules
from compliance.quality.objectives import services as objective_services
from compliance.quality.objectives.models import Objective
from compliance.quality.objectives.schemas import (
    EvaluationRecord,
    ObjectiveChange,
    ObjectiveCreate,
    ObjectiveListArgs,
    ObjectiveSchema,
    PlanItemChange,
    PlanItemDone,
    PlanItemOne,
    PlanItemRecord,
    ProgressNoteSchema,
    ProgressRecord,
)

# What an objective's change and a plan item's change leave as they are when not sent.
MEASURED = ("statement_vi", "statement_en", "measurement", "measure_id", "target", "unit",
            "direction")
PLANNED = ("description", "resources", "owner_id", "due_on", "evaluation_method")

objectives = Blueprint("api_objectives", __name__, url_prefix="/objectives",
                       description="Quality objectives (6.2) and their plans.")
json_errors(objectives)


def _creators_only() -> None:
    objective_rules.ensure(objective_rules.may_create_any(current_user),
                           _("Only a coordinator or a department head sets objectives."))


def _objectives():
    return objective_rules.visible_objectives(current_user, select(Objective).options(
        selectinload(Objective.items)))


@objectives.route("/")
class Objectives(MethodView):
    """The objectives the caller may read."""

    @list_of(objectives, ObjectiveListArgs, ObjectiveSchema)
    def get(self, args):
        """List objectives, filtered by year, department and status (open, or the result
        of the year-end evaluation), sorted by year (cursor pages, `Link` header)."""
        stmt = _objectives()
        for name, column in (("year", Objective.year), ("department", Objective.department_id)):
            if args[name] is not None:
                stmt = stmt.where(column == args[name])
        if args["status"] is not None:
            status = args["status"]
            stmt = stmt.where(Objective.result.is_(None) if status == "open"
                              else Objective.result == status)
        return sorted_page(stmt, {"year": Objective.year}, Objective.id, args)

    @rules_first(_creators_only)
    @objectives.arguments(ObjectiveCreate)
    @objectives.response(201, ObjectiveSchema, headers=versions.ETAG_HEADER)
    @objectives.alt_response(403, response="FORBIDDEN")
    @objectives.doc(security=BEARER)
    def post(self, given: dict):
        """Set an objective for a department (or, `department_id` null, the organisation)
        and a year, as the new objective page does: checked by hand against a target, or
        by a process measure. Its plan items follow (`…/items/`)."""
        objective = objective_services.create_objective(current_user, today=clock.today(),
                                                        **given)
        return objective, 201, {"ETag": versions.etag_of(objective)}


def _objective(objective_id: int, for_update: bool = False) -> Objective:
    """An objective the caller may read (404 for one they may not know of)."""
    found = visible_one(_objectives().where(Objective.id == objective_id),
                        _("No such objective."))
    return objective_services.get(objective_id, for_update=True) if for_update else found


def _objective_managers_only(objective_id: int) -> None:
    objective_rules.ensure_manage(current_user, _objective(objective_id))


@objectives.route("/<int:objective_id>")
class ObjectiveOne(MethodView):
    """One objective."""

    @versions.read_one(objectives, ObjectiveSchema)
    def get(self, objective_id: int):
        """Read an objective with its plan items, with its ETag."""
        return versions.with_etag(_objective(objective_id))

    @rules_first(_objective_managers_only)
    @objectives.arguments(ObjectiveChange)
    @versions.write_one(objectives, ObjectiveSchema)
    def patch(self, change: dict, objective_id: int):
        """Reword an objective or change how it is measured, as its edit page does (the
        fields sent; the rest stays), until it is evaluated."""
        objective = _objective(objective_id, for_update=True)
        objective_rules.ensure_manage(current_user, objective)
        expected = versions.require_match(objective)
        now = {name: getattr(objective, name) for name in MEASURED}
        objective_services.edit_objective(current_user, objective, expected_version=expected,
                                          **{**now, **change})
        return versions.with_etag(objective)

    @rules_first(_objective_managers_only)
    @versions.deletes(objectives)
    def delete(self, objective_id: int):
        """Delete an objective set by mistake, with its plan and progress notes, as its edit
        page's delete button does, until it is evaluated (its ETag in If-Match)."""
        objective = _objective(objective_id, for_update=True)
        expected = versions.require_match(objective)
        objective_services.delete_objective(current_user, objective, expected_version=expected)


@objectives.route("/<int:objective_id>/progress/")
class Progress(MethodView):
    """An objective's progress notes."""

    @rules_first(_objective_managers_only)
    @objectives.arguments(ProgressRecord)
    @versions.creates(objectives, ProgressNoteSchema)
    def post(self, given: dict, objective_id: int):
        """Add a dated progress note (and, for an objective checked by hand, the value
        measured), as the objective page's progress form does, until it is evaluated."""
        objective = _objective(objective_id, for_update=True)
        objective_rules.ensure_manage(current_user, objective)
        return objective_services.record_progress(current_user, objective,
                                                  today=clock.today(), **given), 201


@objectives.route("/<int:objective_id>/items/")
class PlanItems(MethodView):
    """An objective's plan."""

    @rules_first(_objective_managers_only)
    @objectives.arguments(PlanItemRecord)
    @objectives.response(201, PlanItemOne, headers=versions.ETAG_HEADER)
    @objectives.alt_response(403, response="FORBIDDEN")
    @objectives.alt_response(404, response="NOT_FOUND")
    @objectives.alt_response(409, response="CONFLICT")
    @objectives.doc(security=BEARER)
    def post(self, given: dict, objective_id: int):
        """Add a step to the plan, as the objective page's plan form does, until the
        objective is evaluated."""
        objective = _objective(objective_id, for_update=True)
        item = objective_services.add_item(current_user, objective,
                                           **{"resources": "", **given})
        return item, 201, {"ETag": versions.etag_of(item)}


def _item_managers_only(objective_id: int, plan_item_id: int) -> None:
    objective = _objective(objective_id)
    objective_services.get_item(objective, plan_item_id)
    objective_rules.ensure_manage(current_user, objective)


@objectives.route("/<int:objective_id>/items/<int:plan_item_id>")
class PlanItemView(MethodView):
    """One step of an objective's plan."""

    @versions.read_one(objectives, PlanItemOne)
    def get(self, objective_id: int, plan_item_id: int):
        """Read a plan item, with its ETag (send it back to change it)."""
        return versions.with_etag(objective_services.get_item(_objective(objective_id),
                                                              plan_item_id))

    @rules_first(_item_managers_only)
    @objectives.arguments(PlanItemChange)
    @versions.write_one(objectives, PlanItemOne)
    def patch(self, change: dict, objective_id: int, plan_item_id: int):
        """Change what a plan item says, who carries it out or by when, as its edit page
        does (the fields sent; the rest stays)."""
        objective = _objective(objective_id, for_update=True)
        item = objective_services.get_item(objective, plan_item_id)
        expected = versions.require_match(item)
        now = {name: getattr(item, name) for name in PLANNED}
        objective_services.edit_item(current_user, objective, item, expected_version=expected,
                                     **{**now, **change})
        return versions.with_etag(item)

    @rules_first(_item_managers_only)
    @versions.deletes(objectives)
    def delete(self, objective_id: int, plan_item_id: int):
        """Delete a step of the plan that will not be taken, as its edit page's delete
        button does: not one done, nor on an evaluated objective (its ETag in If-Match)."""
        objective = _objective(objective_id, for_update=True)
        item = objective_services.get_item(objective, plan_item_id)
        expected = versions.require_match(item)
        objective_services.delete_item(current_user, objective, item, expected_version=expected)


def _item_completers_only(objective_id: int, plan_item_id: int) -> None:
    objective_rules.ensure_complete_item(current_user, objective_services.get_item(
        _objective(objective_id), plan_item_id))


def _marked(objective_id: int, plan_item_id: int):
    """The objective locked and its plan item, the item's ETag matched (412, 428)."""
    objective = _objective(objective_id, for_update=True)
    item = objective_services.get_item(objective, plan_item_id)
    return objective, item, versions.require_match(item)


@objectives.route("/<int:objective_id>/items/<int:plan_item_id>/done")
class PlanItemDoneView(MethodView):
    """A plan item done."""

    @rules_first(_item_completers_only)
    @objectives.arguments(PlanItemDone)
    @versions.write_one(objectives, PlanItemOne)
    def post(self, given: dict, objective_id: int, plan_item_id: int):
        """Mark a plan item done, as its owner (or a manager) does on the objective's page
        (the item's ETag in If-Match)."""
        objective, item, expected = _marked(objective_id, plan_item_id)
        objective_services.complete_item(current_user, objective, item, today=clock.today(),
                                         expected_version=expected, **given)
        return versions.with_etag(item)


@objectives.route("/<int:objective_id>/items/<int:plan_item_id>/reopen")
class PlanItemReopen(MethodView):
    """A plan item not done after all."""

    @rules_first(_item_completers_only)
    @versions.write_one(objectives, PlanItemOne)
    def post(self, objective_id: int, plan_item_id: int):
        """Mark a plan item not done after all, as on the objective's page (the item's
        ETag in If-Match)."""
        objective, item, expected = _marked(objective_id, plan_item_id)
        objective_services.reopen_item(current_user, objective, item,
                                       expected_version=expected)
        return versions.with_etag(item)


@objectives.route("/<int:objective_id>/evaluation")
class Evaluation(MethodView):
    """An objective's year-end evaluation."""

    @rules_first(_objective_managers_only)
    @objectives.arguments(EvaluationRecord)
    @versions.write_one(objectives, ObjectiveSchema)
    def post(self, given: dict, objective_id: int):
        """Record (or correct) the year-end evaluation, as the objective page's evaluation
        form does, once it opens (the objective's ETag in If-Match)."""
        objective = _objective(objective_id, for_update=True)
        expected = versions.require_match(objective)
        objective_services.evaluate(current_user, objective, today=clock.today(),
                                    expected_version=expected, **given)
        return versions.with_etag(objective)
