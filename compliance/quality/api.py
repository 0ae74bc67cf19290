"""Quality objectives and the risk register under /api/v1: lists (the pages' filters, a
sort and a keyset cursor) and one of each, read through the same rule books as the pages."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from compliance.api import json_errors, versions
from compliance.api.guards import visible_one
from compliance.api.pages import list_of, sorted_page
from compliance.quality.objectives import rules as objective_rules
from compliance.quality.objectives.models import Objective
from compliance.quality.risks import rules as risk_rules
from compliance.quality.risks.models import Risk
from compliance.quality.schemas import ObjectiveListArgs, ObjectiveSchema, RiskListArgs, RiskSchema

objectives = Blueprint("api_objectives", __name__, url_prefix="/objectives",
                       description="Quality objectives (6.2) and their plans.")
json_errors(objectives)
risks = Blueprint("api_risks", __name__, url_prefix="/risks",
                  description="The register of risks and opportunities (6.1).")
json_errors(risks)


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
        return versions.with_etag(visible_one(_objectives().where(
            Objective.id == objective_id), _("No such objective.")))


def _risks():
    return risk_rules.visible_risks(current_user, select(Risk).options(
        selectinload(Risk.actions)))


@risks.route("/")
class Risks(MethodView):
    """The risks and opportunities the caller may read."""

    @list_of(risks, RiskListArgs, RiskSchema)
    def get(self, args):
        """List risks and opportunities, filtered by department, process, kind and state,
        sorted (cursor pages, `Link` header)."""
        stmt = _risks()
        for name, column in (("department", Risk.department_id), ("process", Risk.process_id),
                             ("kind", Risk.kind), ("status", Risk.status)):
            if args[name] is not None:
                stmt = stmt.where(column == args[name])
        sorts = {"reference": Risk.reference, "score": Risk.score, "raised_on": Risk.raised_on}
        return sorted_page(stmt, sorts, Risk.id, args)


@risks.route("/<int:risk_id>")
class RiskOne(MethodView):
    """One risk or opportunity."""

    @versions.read_one(risks, RiskSchema)
    def get(self, risk_id: int):
        """Read a risk or opportunity with its treatment actions, with its ETag."""
        return versions.with_etag(visible_one(_risks().where(Risk.id == risk_id),
                                              _("No such risk.")))
