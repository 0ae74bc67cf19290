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
    ObjectiveListArgs,
    ObjectiveSchema,
    ProgressNoteSchema,
    ProgressRecord,
)

objectives = Blueprint("api_objectives", __name__, url_prefix="/objectives",
                       description="Quality objectives (6.2) and their plans.")
json_errors(objectives)


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


@objectives.route("/<int:objective_id>")
class ObjectiveOne(MethodView):
    """One objective."""

    @versions.read_one(objectives, ObjectiveSchema)
    def get(self, objective_id: int):
        """Read an objective with its plan items, with its ETag."""
        return versions.with_etag(_objective(objective_id))


def _objective(objective_id: int, for_update: bool = False) -> Objective:
    """An objective the caller may read (404 for one they may not know of)."""
    found = visible_one(_objectives().where(Objective.id == objective_id),
                        _("No such objective."))
    return objective_services.get(objective_id, for_update=True) if for_update else found


def _objective_managers_only(objective_id: int) -> None:
    objective_rules.ensure_manage(current_user, _objective(objective_id))


@objectives.route("/<int:objective_id>/progress/")
class Progress(MethodView):
    """An objective's progress notes."""

    @rules_first(_objective_managers_only)
    @objectives.arguments(ProgressRecord)
    @objectives.response(201, ProgressNoteSchema)
    @objectives.alt_response(403, response="FORBIDDEN")
    @objectives.alt_response(404, response="NOT_FOUND")
    @objectives.alt_response(409, response="CONFLICT")
    @objectives.doc(security=BEARER)
    def post(self, given: dict, objective_id: int):
        """Add a dated progress note (and, for an objective checked by hand, the value
        measured), as the objective page's progress form does, until it is evaluated."""
        objective = _objective(objective_id, for_update=True)
        objective_rules.ensure_manage(current_user, objective)
        return objective_services.record_progress(current_user, objective,
                                                  today=clock.today(), **given), 201
