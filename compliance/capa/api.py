"""Corrective actions under /api/v1/corrective-actions: the register (the page's filters,
a sort and a keyset cursor), one corrective action, its actions (one marked done with
If-Match, with or without its evidence file, as on the page) and its effectiveness checks.
Closing stays on the page: the API refuses it with a link there."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from compliance.api import BEARER, json_errors, versions
from compliance.api.guards import on_its_page, refuse_here, rules_first, visible_one
from compliance.api.links import linked, to, to_change
from compliance.api.multipart import Blueprint
from compliance.api.pages import PageArgs, keyset_page, list_of, sorted_page
from compliance.capa import queries, rules, services
from compliance.capa.models import Action, CorrectiveAction, EffectivenessCheck
from compliance.capa.schemas import (
    ActionDone,
    ActionDoneWithFile,
    ActionPlan,
    ActionSchema,
    Analysis,
    CheckResult,
    CheckSchema,
    Containment,
    CorrectiveListArgs,
    CorrectiveSchema,
)
from compliance.core import clock
from compliance.core.errors import DomainError, NotFound

bp = Blueprint("api_corrective_actions", __name__, url_prefix="/corrective-actions",
               description="Corrective actions (10.2), their actions and effectiveness "
                           "checks.")
json_errors(bp)
ACTION = "/corrective-actions/{ca_id}/actions/{action_id}"


def _ca(ca_id: int, for_update: bool = False) -> CorrectiveAction:
    """A corrective action the caller may read (404 for one they may not know of)."""
    found = visible_one(rules.visible_corrective_actions(current_user, select(
        CorrectiveAction).where(CorrectiveAction.id == ca_id)), _("No such corrective action."))
    return services.get(ca_id, for_update=True) if for_update else found


@bp.route("/")
class Register(MethodView):
    """The corrective actions the caller may see."""

    @list_of(bp, CorrectiveListArgs, CorrectiveSchema)
    @linked(bp, 200, corrective_action=to("/corrective-actions/{ca_id}",
                                          ca_id="$response.body#/0/id"))
    def get(self, args):
        """List corrective actions, filtered by department, state, source, grade and
        lateness as the register page filters them, sorted (cursor pages, `Link`)."""
        filters = queries.Filters(department_id=args["department"], source=args["source"],
                                  grade=args["grade"], status=args["status"],
                                  overdue=args["overdue"])
        sorts = {"raised_on": CorrectiveAction.raised_on,
                 "reference": CorrectiveAction.reference, "status": CorrectiveAction.status}
        return sorted_page(queries.filtered(current_user, filters, clock.today()), sorts,
                           CorrectiveAction.id, args)


@bp.route("/<int:ca_id>")
class CorrectiveOne(MethodView):
    """One corrective action."""

    @versions.read_one(bp, CorrectiveSchema)
    @linked(bp, 200, actions=to("/corrective-actions/{ca_id}/actions/",
                                ca_id="$request.path.ca_id"))
    def get(self, ca_id: int):
        """Read a corrective action, with its ETag."""
        return versions.with_etag(_ca(ca_id))


def _managers_only(ca_id: int) -> None:
    rules.ensure_manage(current_user, _ca(ca_id))


def _verifiers_only(ca_id: int, **_ids) -> None:
    rules.ensure_verify(current_user, _ca(ca_id))


def _managed_step(ca_id: int) -> tuple[CorrectiveAction, int | None]:
    """The corrective action locked for a step of its manager, and the version If-Match
    named (412, 428 before the service runs)."""
    ca = _ca(ca_id, for_update=True)
    rules.ensure_manage(current_user, ca)
    return ca, versions.require_match(ca)


@bp.route("/<int:ca_id>/containment")
class ContainmentView(MethodView):
    """The immediate correction: open → contained."""

    @rules_first(_managers_only)
    @bp.arguments(Containment)
    @versions.write_one(bp, CorrectiveSchema)
    def post(self, given: dict, ca_id: int):
        """Record the correction made and its date, as the page's containment form does
        (the corrective action's ETag in If-Match)."""
        ca, version = _managed_step(ca_id)
        services.contain(current_user, ca, today=clock.today(), expected_version=version,
                         **given)
        return versions.with_etag(ca)


@bp.route("/<int:ca_id>/analysis")
class AnalysisView(MethodView):
    """The root cause: contained → analysed."""

    @rules_first(_managers_only)
    @bp.arguments(Analysis)
    @versions.write_one(bp, CorrectiveSchema)
    def post(self, given: dict, ca_id: int):
        """Record the 5-why chain, the Ishikawa category and the extent, as the page's
        analysis form does (the corrective action's ETag in If-Match)."""
        ca, version = _managed_step(ca_id)
        services.analyse(current_user, ca, expected_version=version, **given)
        return versions.with_etag(ca)


@bp.route("/<int:ca_id>/actions/")
class Actions(MethodView):
    """The action plan."""

    @list_of(bp, PageArgs, ActionSchema, 404)
    @linked(bp, 200, action=to(ACTION, ca_id="$request.path.ca_id",
                               action_id="$response.body#/0/id"))
    def get(self, args, ca_id: int):
        """List the actions of the plan, in the order they were planned."""
        stmt = select(Action).where(Action.corrective_action_id == _ca(ca_id).id)
        return keyset_page(stmt, Action.id, args)

    @rules_first(_managers_only)
    @bp.arguments(ActionPlan)
    @bp.response(201, ActionSchema, headers=versions.ETAG_HEADER)
    @linked(bp, 201, action=to(ACTION, ca_id="$request.path.ca_id",
                               action_id="$response.body#/id"),
            done=to_change(ACTION + "/done", "post", ca_id="$request.path.ca_id",
                           action_id="$response.body#/id"))
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.doc(security=BEARER)
    def post(self, planned: dict, ca_id: int):
        """Add an action to the plan, as the page's action form does (once analysed); the
        first starts the plan, and one naming a document opens a draft of it."""
        ca = _ca(ca_id, for_update=True)
        rules.ensure_manage(current_user, ca)
        action = services.add_action(current_user, ca, today=clock.today(), **planned)
        return action, 201, {"ETag": versions.etag_of(action)}


@bp.route("/<int:ca_id>/actions/<int:action_id>")
class ActionOne(MethodView):
    """One action of the plan."""

    @versions.read_one(bp, ActionSchema)
    @linked(bp, 200, done=to_change(ACTION + "/done", "post", ca_id="$request.path.ca_id",
                                    action_id="$request.path.action_id"))
    def get(self, ca_id: int, action_id: int):
        """Read an action, with its ETag (send it back to mark it done)."""
        return versions.with_etag(services.get_action(_ca(ca_id), action_id))


def _completers_only(ca_id: int, action_id: int) -> None:
    rules.ensure_complete_action(current_user, services.get_action(_ca(ca_id), action_id))


@bp.route("/<int:ca_id>/actions/<int:action_id>/done")
class ActionDoneView(MethodView):
    """Progress on an action: done."""

    @rules_first(_completers_only)
    @bp.arguments(ActionDone)
    @versions.write_one(bp, ActionSchema)
    def post(self, done: dict, ca_id: int, action_id: int):
        """Mark an action done, with what was done, as its owner (or a manager) does on the
        page (the action's ETag in If-Match); the last one schedules the check."""
        ca = _ca(ca_id, for_update=True)
        action = services.get_action(ca, action_id)
        rules.ensure_complete_action(current_user, action)
        versions.require_match(action)
        services.complete_action(current_user, ca, action, today=clock.today(),
                                 note=done["note"])
        return versions.with_etag(action)


@bp.route("/<int:ca_id>/actions/<int:action_id>/done-with-evidence")
class ActionDoneWithEvidence(MethodView):
    """Progress on an action: done, with its evidence file."""

    @rules_first(_completers_only)
    @bp.arguments(ActionDoneWithFile, location="form_and_files")
    @versions.write_one(bp, ActionSchema)
    def post(self, form: dict, ca_id: int, action_id: int):
        """Mark an action done with what was done and its evidence file, as its owner (or
        a manager) does on the page: a multipart form (the action's ETag in If-Match); the
        file is checked by its content and stored by hash, as the page's upload is."""
        upload = form["file"]
        if not isinstance(upload, FileStorage):  # a text field named file, not a file
            raise DomainError(_("Choose a file."), field="file")
        ca = _ca(ca_id, for_update=True)
        action = services.get_action(ca, action_id)
        rules.ensure_complete_action(current_user, action)
        versions.require_match(action)
        services.complete_action(current_user, ca, action, today=clock.today(),
                                 note=form["note"], stream=upload.stream,
                                 filename=upload.filename or "")
        return versions.with_etag(action)


@bp.route("/<int:ca_id>/checks/")
class Checks(MethodView):
    """The effectiveness checks."""

    @list_of(bp, PageArgs, CheckSchema, 404)
    def get(self, args, ca_id: int):
        """List the effectiveness checks, oldest first (the last is the current one)."""
        stmt = select(EffectivenessCheck).where(
            EffectivenessCheck.corrective_action_id == _ca(ca_id).id)
        return keyset_page(stmt, EffectivenessCheck.id, args)


@bp.route("/<int:ca_id>/checks/<int:check_id>/result")
class CheckResultView(MethodView):
    """The verifier's judgement on the pending check."""

    @rules_first(_verifiers_only)
    @bp.arguments(CheckResult, location="form_and_files")
    @bp.response(200, CheckSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @versions.if_match_required(bp)
    @bp.doc(security=BEARER)
    def post(self, judged: dict, ca_id: int, check_id: int):
        """Record whether the actions worked, with an evidence file where the grade needs
        one, as the verifier does on the page (the corrective action's ETag in If-Match); a
        failed check reopens the plan."""
        ca = _ca(ca_id, for_update=True)
        rules.ensure_verify(current_user, ca)
        current = ca.current_check
        if current is None or current.id != check_id:
            raise NotFound(_("No such effectiveness check waiting for a result."))
        versions.require_match(ca)
        upload = judged.pop("file")
        if upload is not None and not isinstance(upload, FileStorage):
            raise DomainError(_("Choose a file."), field="file")  # a text field, not a file
        return services.record_check(current_user, ca, today=clock.today(), **judged,
                                     stream=upload.stream if upload else None,
                                     filename=upload.filename or "" if upload else "")


@bp.route("/<int:ca_id>/close")
class Close(MethodView):
    """Closure, which the API never does."""

    @on_its_page(bp, "the verifier closes it")
    def post(self, ca_id: int):
        """Refused: a corrective action is closed by a person, signed in, on its page."""
        link = url_for("capa.detail", ca_id=_ca(ca_id).id, _external=True)
        refuse_here(_("A corrective action is closed by its verifier, signed in, on its "
                      "page."), link)
