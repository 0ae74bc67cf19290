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

from compliance.api import BEARER, json_errors, versions
from compliance.api.guards import rules_first, visible_one
from compliance.api.pages import list_of, sorted_page
from compliance.core import clock
from compliance.quality.risks import rules as risk_rules
from compliance.quality.risks import services as risk_services
from compliance.quality.risks.models import Risk
from compliance.quality.risks.schemas import (
    RiskChange,
    RiskCreate,
    RiskLinkRecord,
    RiskLinkSchema,
    RiskListArgs,
    RiskReview,
    RiskSchema,
    StatusChange,
    TreatmentChange,
    TreatmentDone,
    TreatmentRecord,
    TreatmentSchema,
)

# What a change leaves as it is when not sent (the edit page's form sends them all).
TREATED = ("description", "owner_id", "due_on")
RATED = ("kind", "description", "cause", "consequence", "likelihood", "impact",
         "residual_likelihood", "residual_impact", "process_id", "review_on")

risks = Blueprint("api_risks", __name__, url_prefix="/risks",
                  description="The register of risks and opportunities (6.1).")
json_errors(risks)


def _creators_only() -> None:
    risk_rules.ensure(risk_rules.may_create_any(current_user),
                      _("Only a coordinator or a department head adds risks."))


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

    @rules_first(_creators_only)
    @risks.arguments(RiskCreate)
    @risks.response(201, RiskSchema, headers=versions.ETAG_HEADER)
    @risks.alt_response(403, response="FORBIDDEN")
    @risks.doc(security=BEARER)
    def post(self, given: dict):
        """Add a risk or an opportunity to a department's register, rated before treatment,
        as the new risk page does (a coordinator, or the head of the department)."""
        risk = risk_services.create_risk(current_user, today=clock.today(), **given)
        return risk, 201, {"ETag": versions.etag_of(risk)}


def _risk(risk_id: int, for_update: bool = False) -> Risk:
    """A risk the caller may read (404 for one they may not know of)."""
    found = visible_one(_risks().where(Risk.id == risk_id), _("No such risk."))
    return risk_services.get(risk_id, for_update=True) if for_update else found


def _risk_managers_only(risk_id: int) -> None:
    risk_rules.ensure_manage(current_user, _risk(risk_id))


@risks.route("/<int:risk_id>")
class RiskOne(MethodView):
    """One risk or opportunity."""

    @versions.read_one(risks, RiskSchema)
    def get(self, risk_id: int):
        """Read a risk or opportunity with its treatment actions, with its ETag."""
        return versions.with_etag(_risk(risk_id))

    @rules_first(_risk_managers_only)
    @risks.arguments(RiskChange)
    @versions.write_one(risks, RiskSchema)
    def patch(self, change: dict, risk_id: int):
        """Change a risk as its edit page does (the fields sent; the rest stays): its
        wording, its process, its rating before and after treatment, its review date."""
        risk = _risk(risk_id, for_update=True)
        expected = versions.require_match(risk)
        now = {name: getattr(risk, name) for name in RATED}
        risk_services.update_risk(current_user, risk, today=clock.today(),
                                  expected_version=expected, **{**now, **change})
        return versions.with_etag(risk)


@risks.route("/<int:risk_id>/status")
class Status(MethodView):
    """A risk's status."""

    @rules_first(_risk_managers_only)
    @risks.arguments(StatusChange)
    @versions.write_one(risks, RiskSchema)
    def post(self, given: dict, risk_id: int):
        """Mark a risk treated (rated after treatment, every action done), accepted or
        closed (with the reason), or open again, as the risk page's status form does (the
        risk's ETag in If-Match)."""
        risk = _risk(risk_id, for_update=True)
        expected = versions.require_match(risk)
        risk_services.change_status(current_user, risk, today=clock.today(),
                                    expected_version=expected, **given)
        return versions.with_etag(risk)


def _created(bp, schema):
    """Document an addition to an open risk: 201 with the schema, 403, 404, 409 (closed)."""
    def decorate(view):
        view = bp.doc(security=BEARER)(view)
        for status, name in ((409, "CONFLICT"), (404, "NOT_FOUND"), (403, "FORBIDDEN")):
            view = bp.alt_response(status, response=name)(view)
        return bp.response(201, schema)(view)
    return decorate


@risks.route("/<int:risk_id>/actions/")
class Treatments(MethodView):
    """A risk's treatment actions."""

    @rules_first(_risk_managers_only)
    @risks.arguments(TreatmentRecord)
    @_created(risks, TreatmentSchema)
    def post(self, given: dict, risk_id: int):
        """Plan a treatment action (what, who, by when), as the risk page's form does."""
        risk = _risk(risk_id, for_update=True)
        return risk_services.add_action(current_user, risk, today=clock.today(), **given), 201


@risks.route("/<int:risk_id>/links/")
class Links(MethodView):
    """A risk's links to findings and corrective actions."""

    @rules_first(_risk_managers_only)
    @risks.arguments(RiskLinkRecord)
    @_created(risks, RiskLinkSchema)
    def post(self, given: dict, risk_id: int):
        """Link a finding or a corrective action of the risk's department that changed it
        (one of the two), as the risk page's link form does."""
        risk = _risk(risk_id, for_update=True)
        return risk_services.add_link(current_user, risk, today=clock.today(),
                                      field="finding_id", **given), 201


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


def _treatment_managers_only(risk_id: int, treatment_id: int) -> None:
    risk = _risk(risk_id)
    risk_services.get_action(risk, treatment_id)
    risk_rules.ensure_manage(current_user, risk)


def _treatment_matched(risk_id: int, treatment_id: int):
    """The risk locked and its treatment action, the action's ETag matched (412, 428)."""
    risk = _risk(risk_id, for_update=True)
    action = risk_services.get_action(risk, treatment_id)
    return risk, action, versions.require_match(action)


@risks.route("/<int:risk_id>/actions/<int:treatment_id>")
class TreatmentOne(MethodView):
    """One treatment action."""

    @versions.read_one(risks, TreatmentSchema)
    def get(self, risk_id: int, treatment_id: int):
        """Read a treatment action, with its ETag (send it back to mark it done)."""
        return versions.with_etag(risk_services.get_action(_risk(risk_id), treatment_id))

    @rules_first(_treatment_managers_only)
    @risks.arguments(TreatmentChange)
    @versions.write_one(risks, TreatmentSchema)
    def patch(self, change: dict, risk_id: int, treatment_id: int):
        """Change what an open treatment action says, who owns it or by when, as its edit
        page does (the fields sent; the rest stays; the action's ETag in If-Match)."""
        risk, action, expected = _treatment_matched(risk_id, treatment_id)
        now = {name: getattr(action, name) for name in TREATED}
        risk_services.edit_action(current_user, risk, action, today=clock.today(),
                                  expected_version=expected, **{**now, **change})
        return versions.with_etag(action)

    @rules_first(_treatment_managers_only)
    @versions.deletes(risks)
    def delete(self, risk_id: int, treatment_id: int):
        """Delete an open treatment action planned by mistake or no longer wanted, as its
        edit page's delete button does (the action's ETag in If-Match)."""
        risk, action, expected = _treatment_matched(risk_id, treatment_id)
        risk_services.delete_action(current_user, risk, action, expected_version=expected)


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
