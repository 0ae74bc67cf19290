"""Corrective actions under /api/v1/corrective-actions: the register (the page's filters,
a sort and a keyset cursor), one corrective action, its actions (one marked done with
If-Match, as on the page) and its effectiveness checks. Closing stays on the page: the API
refuses it with a link there."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from compliance.api import json_errors, versions
from compliance.api.guards import on_its_page, refuse_here, rules_first, visible_one
from compliance.api.pages import PageArgs, keyset_page, list_of, sorted_page
from compliance.capa import queries, rules, services
from compliance.capa.models import Action, CorrectiveAction, EffectivenessCheck
from compliance.capa.schemas import (
    ActionDone,
    ActionSchema,
    CheckSchema,
    CorrectiveListArgs,
    CorrectiveSchema,
)
from compliance.core import clock

bp = Blueprint("api_corrective_actions", __name__, url_prefix="/corrective-actions",
               description="Corrective actions (10.2), their actions and effectiveness "
                           "checks.")
json_errors(bp)
BEARER = [{"bearer": []}]


def _ca(ca_id: int, for_update: bool = False) -> CorrectiveAction:
    """A corrective action the caller may read (404 for one they may not know of)."""
    found = visible_one(rules.visible_corrective_actions(current_user, select(
        CorrectiveAction).where(CorrectiveAction.id == ca_id)), _("No such corrective action."))
    return services.get(ca_id, for_update=True) if for_update else found


@bp.route("/")
class Register(MethodView):
    """The corrective actions the caller may see."""

    @list_of(bp, CorrectiveListArgs, CorrectiveSchema)
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
    def get(self, ca_id: int):
        """Read a corrective action, with its ETag."""
        return versions.with_etag(_ca(ca_id))


@bp.route("/<int:ca_id>/actions/")
class Actions(MethodView):
    """The action plan."""

    @list_of(bp, PageArgs, ActionSchema, 404)
    def get(self, args, ca_id: int):
        """List the actions of the plan, in the order they were planned."""
        stmt = select(Action).where(Action.corrective_action_id == _ca(ca_id).id)
        return keyset_page(stmt, Action.id, args)


@bp.route("/<int:ca_id>/actions/<int:action_id>")
class ActionOne(MethodView):
    """One action of the plan."""

    @versions.read_one(bp, ActionSchema)
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


@bp.route("/<int:ca_id>/checks/")
class Checks(MethodView):
    """The effectiveness checks."""

    @list_of(bp, PageArgs, CheckSchema, 404)
    def get(self, args, ca_id: int):
        """List the effectiveness checks, oldest first (the last is the current one)."""
        stmt = select(EffectivenessCheck).where(
            EffectivenessCheck.corrective_action_id == _ca(ca_id).id)
        return keyset_page(stmt, EffectivenessCheck.id, args)


@bp.route("/<int:ca_id>/close")
class Close(MethodView):
    """Closure, which the API never does."""

    @on_its_page(bp, "the verifier closes it")
    def post(self, ca_id: int):
        """Refused: a corrective action is closed by a person, signed in, on its page."""
        link = url_for("capa.detail", ca_id=_ca(ca_id).id, _external=True)
        refuse_here(_("A corrective action is closed by its verifier, signed in, on its "
                      "page."), link)
