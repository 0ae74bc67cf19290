"""The register of external documents under /api/v1/external-documents (issue 17, item 8),
read-only: the laws, decrees, circulars and standards the system follows, with their
issuing body, number, date, legal status and the date of their next check."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from compliance.api import BEARER, json_errors
from compliance.api.pages import PageArgs, keyset_page
from compliance.documents import rules as documents
from compliance.documents.external import rules
from compliance.documents.external.labels import KINDS, STATUSES
from compliance.documents.models import Document

bp = Blueprint("api_external_documents", __name__, url_prefix="/external-documents",
               description="The register of external documents (laws, decrees, circulars, "
                           "standards).")
json_errors(bp)


class ExternalListArgs(PageArgs):
    """Which external documents: of a kind, of a legal status, due for a check by a day."""

    kind = fields.Str(load_default=None, validate=validate.OneOf(
        KINDS, error=_l("Must be one of: {choices}.")))
    status = fields.Str(load_default=None, validate=validate.OneOf(
        STATUSES, error=_l("Must be one of: {choices}.")))
    due_by = fields.Date(load_default=None, metadata={
        "description": "Only those whose next check falls on or before this day.",
        "example": "2026-12-31"})


class ExternalSchema(Schema):
    """An external document as the register shows it."""

    id = fields.Int()
    code = fields.Str()
    title_vi = fields.Str()
    title_en = fields.Str(allow_none=True)
    department_id = fields.Int()
    legal_kind = fields.Str(allow_none=True)
    legal_number = fields.Str(allow_none=True, metadata={"example": "30/2020/NĐ-CP"})
    legal_issued_on = fields.Date(allow_none=True)
    legal_status = fields.Str(allow_none=True)
    replaced_by_id = fields.Int(allow_none=True)
    issuing_body = fields.Str(attribute="external_source", allow_none=True)
    edition = fields.Str(attribute="external_edition", allow_none=True)
    check_on = fields.Date(attribute="external_check_date", allow_none=True, metadata={
        "description": "When it is next checked for changes."})
    checked_on = fields.Date(attribute="external_checked_on", allow_none=True)


@bp.route("/")
class ExternalDocuments(MethodView):
    """The external documents the caller may see."""

    @bp.arguments(ExternalListArgs, location="query")
    @bp.response(200, ExternalSchema(many=True))
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.doc(security=BEARER)
    def get(self, args):
        """List the register of external documents, for every reader of documents (the
        rows they may see; cursor pages, `Link` header)."""
        rules.ensure_read(current_user)
        stmt = documents.visible_documents(current_user, select(Document).where(
            Document.doc_type == "external"))
        if args["kind"]:
            stmt = stmt.where(Document.legal_kind == args["kind"])
        if args["status"]:
            stmt = stmt.where(Document.legal_status == args["status"])
        if args["due_by"]:
            stmt = stmt.where(Document.external_check_date <= args["due_by"])
        return keyset_page(stmt, Document.id, args)
