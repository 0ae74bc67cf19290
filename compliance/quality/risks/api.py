"""The register of risks and opportunities under /api/v1/risks: the list (the page's filters,
a sort and a keyset cursor) and one risk, read through the same rule book as the pages, and
the risk raised, changed, reviewed and treated as its pages do."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from compliance.api import json_errors, versions
from compliance.api.guards import rules_first, visible_one
from compliance.api.pages import list_of, sorted_page
from compliance.core import clock
from compliance.quality.risks import rules as risk_rules
from compliance.quality.risks import services as risk_services
from compliance.quality.risks.models import Risk
from compliance.quality.risks.schemas import (
    RiskListArgs,
    RiskReview,
    RiskSchema,
    TreatmentDone,
    TreatmentSchema,
)

risks = Blueprint("api_risks", __name__, url_prefix="/risks",
                  description="The register of risks and opportunities (6.1).")
json_errors(risks)


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
        return versions.with_etag(_risk(risk_id))


def _risk(risk_id: int, for_update: bool = False) -> Risk:
    """A risk the caller may read (404 for one they may not know of)."""
    found = visible_one(_risks().where(Risk.id == risk_id), _("No such risk."))
    return risk_services.get(risk_id, for_update=True) if for_update else found


def _risk_managers_only(risk_id: int) -> None:
    risk_rules.ensure_manage(current_user, _risk(risk_id))


@risks.route("/<int:risk_id>/review")
class Review(MethodView):
    """The periodic review of a risk."""

    @rules_first(_risk_managers_only)
    @risks.arguments(RiskReview)
    @versions.write_one(risks, RiskSchema)
    def post(self, given: dict, risk_id: int):
        """Record the review and the next review date, as the risk page's review form does
        (the risk's ETag in If-Match)."""
        risk = _risk(risk_id, for_update=True)
        risk_rules.ensure_manage(current_user, risk)
        version = versions.require_match(risk)
        risk_services.record_review(current_user, risk, today=clock.today(),
                                    expected_version=version, **given)
        return versions.with_etag(risk)


def _completers_only(risk_id: int, treatment_id: int) -> None:
    risk_rules.ensure_complete_action(current_user, risk_services.get_action(
        _risk(risk_id), treatment_id))


@risks.route("/<int:risk_id>/actions/<int:treatment_id>")
class TreatmentOne(MethodView):
    """One treatment action."""

    @versions.read_one(risks, TreatmentSchema)
    def get(self, risk_id: int, treatment_id: int):
        """Read a treatment action, with its ETag (send it back to mark it done)."""
        return versions.with_etag(risk_services.get_action(_risk(risk_id), treatment_id))


@risks.route("/<int:risk_id>/actions/<int:treatment_id>/done")
class TreatmentDoneView(MethodView):
    """A treatment action done."""

    @rules_first(_completers_only)
    @risks.arguments(TreatmentDone)
    @versions.write_one(risks, TreatmentSchema)
    def post(self, done: dict, risk_id: int, treatment_id: int):
        """Mark a treatment action done, with what was done, as its owner (or a manager)
        does on the risk's page (the action's ETag in If-Match)."""
        risk = _risk(risk_id, for_update=True)
        action = risk_services.get_action(risk, treatment_id)
        risk_rules.ensure_complete_action(current_user, action)
        version = versions.require_match(action)
        risk_services.complete_action(current_user, risk, action, note=done["note"],
                                      today=clock.today(), expected_version=version)
        return versions.with_etag(action)
