"""The scope register under /api/v1/scope (issue 17): its entries, read-only, and the
monthly on-time handling figures posted as JSON, checked and written as the CSV import at
/scope/handling/import does (every month or none; a month imported before is replaced only
when the post says so, else 409)."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from compliance.api import BEARER, json_errors
from compliance.api.errors import ErrorBody
from compliance.api.guards import rules_first
from compliance.api.pages import PageArgs, keyset_page
from compliance.core import clock
from compliance.quality.measures.services.common import MAX_COUNT
from compliance.scope import handling, rules
from compliance.scope.labels import KIND_LABELS
from compliance.scope.models import ScopeEntry

bp = Blueprint("api_scope", __name__, url_prefix="/scope",
               description="The scope of the quality system and the on-time handling of its "
                           "procedures.")
json_errors(bp)
COUNT = {"validate": validate.Range(min=0, max=MAX_COUNT,
                                    error=_l("Must be from {min} to {max}."))}


class EntryListArgs(PageArgs):
    """Which entries: procedures or internal processes, in scope or taken out."""

    kind = fields.Str(load_default=None, validate=validate.OneOf(
        list(KIND_LABELS), error=_l("Must be one of: {choices}.")))
    in_scope = fields.Bool(load_default=None)


class EntrySchema(Schema):
    """An entry of the scope register."""

    id = fields.Int()
    kind = fields.Str()
    name = fields.Str()
    national_code = fields.Str(metadata={"description": "The procedure's code in the "
                                                        "national database."})
    field = fields.Str()
    legal_basis = fields.Str()
    time_limit_days = fields.Int(allow_none=True)
    department_id = fields.Int(allow_none=True)
    process_id = fields.Int(allow_none=True)
    measure_id = fields.Int(allow_none=True)
    in_scope = fields.Bool()
    version = fields.Int()


class HandlingMonthIn(Schema):
    """One procedure's month, as a line of the one-stop-shop export."""

    code = fields.Str(required=True, validate=validate.Length(max=40), metadata={
        "description": "The procedure's code in the national database.", "example": "1.004227"})
    month = fields.Str(required=True, validate=validate.Length(max=16), metadata={
        "example": "2026-03"})
    received = fields.Int(required=True, **COUNT)
    on_time = fields.Int(required=True, **COUNT)
    late = fields.Int(required=True, **COUNT)
    apologies = fields.Int(load_default=0, **COUNT)


class HandlingPost(Schema):
    """The months to write, and whether they replace months imported before."""

    months = fields.List(fields.Nested(HandlingMonthIn), required=True,
                         validate=validate.Length(max=5000))
    replace = fields.Bool(load_default=False)


class WrongItem(Schema):
    """One item of the post refused, and why."""

    item = fields.Int(metadata={"description": "Its place in `months`, 1 the first."})
    reason = fields.Str()


class HandlingRefusedBody(ErrorBody):
    """The refusal, with each wrong item when items are wrong."""

    lines = fields.List(fields.Nested(WrongItem))


class HandlingRefused(Schema):
    """The post refused: nothing was written."""

    error = fields.Nested(HandlingRefusedBody, required=True)


class HandlingWritten(Schema):
    """The months written."""

    months = fields.List(fields.Str())


@bp.route("/entries/")
class Entries(MethodView):
    """The entries of the scope register."""

    @bp.arguments(EntryListArgs, location="query")
    @bp.response(200, EntrySchema(many=True))
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.doc(security=BEARER)
    def get(self, args):
        """List the scope's procedures and internal processes, for its readers (cursor
        pages, `Link` header)."""
        rules.ensure_read(current_user)
        stmt = rules.visible_entries(current_user, select(ScopeEntry))
        if args["kind"]:
            stmt = stmt.where(ScopeEntry.kind == args["kind"])
        if args["in_scope"] is not None:
            stmt = stmt.where(ScopeEntry.in_scope.is_(args["in_scope"]))
        return keyset_page(stmt, ScopeEntry.id, args)


def _keepers_only() -> None:
    rules.ensure_manage(current_user)


@bp.route("/handling/months")
class HandlingMonths(MethodView):
    """The monthly on-time handling figures."""

    @rules_first(_keepers_only)
    @bp.arguments(HandlingPost)
    @bp.response(201, HandlingWritten)
    @bp.alt_response(400, schema=HandlingRefused,
                     description="Nothing written: each wrong item named in `lines`.")
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(409, response="CONFLICT")
    @bp.doc(security=BEARER)
    def post(self, body: dict):
        """Post months of figures per procedure (received, settled on time, settled late,
        apology letters), as a CSV import would write them: every month or none; a wrong
        one refuses the post (400, each wrong item named in `lines`, 1 = the first); a
        month imported before is refused (409) unless `replace` is true."""
        try:
            months = handling.post_months(current_user, body["months"],
                                          replace=body["replace"], today=clock.today())
        except handling.LinesRefused as refused:
            response = jsonify({"error": {
                "status": refused.status, "code": "invalid", "field": "months",
                "message": refused.message,
                "lines": [{"item": n, "reason": why} for n, why in refused.lines]}})
            response.status_code = refused.status
            return response
        return {"months": months}, 201
