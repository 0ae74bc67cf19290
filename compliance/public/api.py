"""The public register under /api/v1/public/documents, for the district's web portal: no
token, and only what the anonymous public page shows (documents flagged public, in force,
their file kept), found by the page's search, with the address of the page's download."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from compliance.api import json_errors
from compliance.api.pages import PageArgs, decode_pair, encode_pair, next_link, record_id
from compliance.core import tenancy
from compliance.core.errors import NotFound
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.org.models import Organisation
from compliance.public import queries

bp = Blueprint("api_public", __name__, url_prefix="/public/documents",
               description="The public register of documents in force (no token).")
json_errors(bp)


class PublicArgs(PageArgs):
    """The public register's search, as its page takes it."""

    organisation = fields.Str(load_default=None, metadata={
        "description": "The organisation's code; the default organisation's register "
                       "without one."})
    q = fields.Str(load_default="", validate=validate.Length(
        max=100, error=_l("Give at most {max} characters.")), metadata={
        "description": "Words of the code or a title, tones and case aside."})
    department = record_id()


class PublicDocumentSchema(Schema):
    """A document in force on the public register, and where its public copy is."""

    code = fields.Str()
    doc_type = fields.Str()
    title_vi = fields.Str()
    title_en = fields.Str(allow_none=True)
    department_id = fields.Int()
    label = fields.Str(metadata={"description": "The revision in force."})
    effective_date = fields.Date(allow_none=True)
    download_url = fields.Str(metadata={"description": "The public page's download."})


def _organisation(code: str | None) -> Organisation:
    if not code:
        return db.session.get(Organisation, queries.readers_organisation_id())
    found = db.session.scalar(select(Organisation).where(Organisation.code == code[:32]))
    if found is None:
        raise NotFound(_("No such organisation."))
    return found


def _shown(organisation: Organisation, document, revision) -> dict:
    return {"code": document.code, "doc_type": document.doc_type,
            "title_vi": document.title_vi, "title_en": document.title_en,
            "department_id": document.department_id, "label": revision.label,
            "effective_date": revision.effective_date,
            "download_url": url_for("public.organisation_download", org_code=organisation.code,
                                    code=document.code, _external=True)}


@bp.route("/")
class PublicDocuments(MethodView):
    """The public register."""

    @bp.arguments(PublicArgs, location="query")
    @bp.response(200, PublicDocumentSchema(many=True))
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=[])
    def get(self, args):
        """List the public register by code (cursor pages, `Link` header)."""
        organisation = _organisation(args["organisation"])
        # Anonymous readers act for no organisation: the register names its own.
        with tenancy.acting_for(organisation.id):
            rows = db.session.execute(queries.published(organisation.id)
                                      .order_by(Document.code, Document.id)).all()
        found = [row for row in rows
                 if queries.matches(row[0], args["q"].strip(), args["department"])]
        if args["cursor"]:
            after = decode_pair(args["cursor"])
            found = [row for row in found if (row[0].code, row[0].id) > after]
        page, more = found[:args["limit"]], len(found) > args["limit"]
        headers = {"Link": next_link(encode_pair(page[-1][0].code, page[-1][0].id),
                                     args["limit"])} if more else {}
        return [_shown(organisation, *row) for row in page], 200, headers
