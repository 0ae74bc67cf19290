"""The documents under /api/v1/documents: the register (the page's full-text search,
filters, sort and keyset cursor), a document's metadata, its revisions, a controlled copy
(stamped as the page stamps it), a new draft (the page's upload checks) and its submission
(If-Match). Signing stays on the page: the API refuses it with a link there."""

from __future__ import annotations

from datetime import datetime
from functools import wraps

from flask import jsonify, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from compliance.api import BEARER, json_errors, versions
from compliance.api.errors import ApiError, ErrorSchema
from compliance.api.guards import rules_first
from compliance.api.links import linked, to
from compliance.api.multipart import Blueprint
from compliance.api.pages import next_link
from compliance.core import clock, uow
from compliance.core.errors import NotFound
from compliance.core.extensions import db
from compliance.core.files import KINDS
from compliance.core.http import attachment, writes_later
from compliance.documents import queries, rules, services
from compliance.documents.models import Document, Revision
from compliance.documents.schemas import (
    AcknowledgementSchema,
    DocumentSchema,
    RegisterArgs,
    RegisterRowSchema,
    ReviewRecord,
    ReviewSchema,
    RevisionSchema,
    UploadForm,
)
from compliance.documents.services import acknowledgements, copies, reviews

bp = Blueprint("api_documents", __name__, url_prefix="/documents",
               description="The document register (clause 7.5): documents, their revisions "
                           "and controlled copies.")
json_errors(bp)
_REVISION_FIELDS = tuple(name for name in RevisionSchema._declared_fields if name != "actions")


def _document(document_id: int, for_update: bool = False) -> Document:
    """A document the caller may open (404 for one they may not know of)."""
    found = db.session.scalar(rules.visible_documents(
        current_user, select(Document).where(Document.id == document_id)))
    if found is None or not rules.may_open(current_user, found):
        raise NotFound(_("No such document."))
    return services.get_document(document_id, for_update=True) if for_update else found


def _revision(document: Document, revision_id: int, for_update: bool = False) -> Revision:
    """A revision of the document the caller may open (404 otherwise)."""
    revision = services.get_revision(document, revision_id, for_update=for_update)
    if not rules.may_read(current_user, document, revision):
        raise NotFound(_("No such revision."))
    return revision


def _state(revision: Revision) -> tuple:
    # A revision has no version counter: what each of its transitions changes stands in.
    return (revision.status, revision.review_round, revision.retention_version,
            revision.blob_sha256[:12])


def _shown(document: Document, revision: Revision) -> dict:
    """The revision's fields, and what the caller may do to it now."""
    fields = {name: getattr(revision, name) for name in _REVISION_FIELDS}
    return {**fields, "actions": sorted(rules.allowed_actions(current_user, document,
                                                              revision))}


_DAYS = ("next_review_date", "effective_date")


def _row(row) -> dict:
    """A register line as RegisterRowSchema dumps it (ISO dates and moments), built here:
    the schema's dump of a page of rows was the list's largest cost in Python."""
    found = row._asdict()
    # SQLite hands this column back as text when the search's text() subquery is in the
    # statement (the result loses its types): read, then written the one ISO way.
    moment = found["updated_at"]
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    found["updated_at"] = moment.isoformat() if moment is not None else None
    for name in _DAYS:
        if found[name] is not None:
            found[name] = found[name].isoformat()
    return found


def _filter(args: dict) -> queries.RegisterFilter:
    sort = args["sort"]
    return queries.RegisterFilter(
        department_id=args["department"], doc_type=args["type"], status=args["status"],
        clause_id=args["clause"], owner_id=args["owner"], review_before=args["review_before"],
        q=(args["q"] or "").strip() or None, sort=sort.removeprefix("-"),
        descending=sort.startswith("-"))


@bp.route("/")
class Register(MethodView):
    """The register the caller may see."""

    @bp.arguments(RegisterArgs, location="query")
    @bp.response(200, RegisterRowSchema(many=True))
    @linked(bp, 200, document=to("/documents/{document_id}", document_id="$response.body#/0/id"),
            revisions=to("/documents/{document_id}/revisions/",
                         document_id="$response.body#/0/id"))
    @bp.doc(security=BEARER)
    def get(self, args):
        """Search and list the register (cursor pages, `Link` header), in a stable order."""
        page = queries.register_page(current_user, _filter(args), args["cursor"],
                                     limit=args["limit"], counted=False)
        headers = {"Link": next_link(page.next_cursor, args["limit"])} \
            if page.next_cursor else {}
        # A response is passed through as it is: the rows are already as the schema dumps them.
        return jsonify([_row(row) for row in page.rows]), 200, headers


@bp.route("/<int:document_id>")
class DocumentOne(MethodView):
    """One document's register entry."""

    @versions.read_one(bp, DocumentSchema)
    @linked(bp, 200, revisions=to("/documents/{document_id}/revisions/",
                                  document_id="$response.body#/id"))
    def get(self, document_id: int):
        """Read a document's metadata, with its ETag."""
        return versions.with_etag(_document(document_id))


@bp.route("/<int:document_id>/revisions/")
class Revisions(MethodView):
    """The revisions of a document the caller may open, newest first."""

    @bp.response(200, RevisionSchema(many=True))
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=BEARER)
    @linked(bp, 200, revision=to("/documents/{document_id}/revisions/{revision_id}",
                                 document_id="$request.path.document_id",
                                 revision_id="$response.body#/0/id"))
    def get(self, document_id: int):
        """List the revisions the caller may open."""
        document = _document(document_id)
        return [_shown(document, r) for r in rules.readable_revisions(current_user, document)]


def _revisers_first(view):
    """Refuse those who may not revise the document before the upload is read: the rule
    book answers first (403, 404), as on the page, and only then the form (422)."""
    @wraps(view)
    def guarded(*args, document_id: int, **kwargs):
        rules.ensure(rules.may_revise(current_user, _document(document_id)),
                     _("You may not revise this document."))
        return view(*args, document_id=document_id, **kwargs)
    return guarded


@bp.route("/<int:document_id>/revisions/", methods=["POST"], endpoint="upload")
@writes_later
@_revisers_first
@bp.arguments(UploadForm, location="form_and_files")
@bp.response(201, RevisionSchema, headers=versions.ETAG_HEADER)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.doc(security=BEARER)
def upload(form: dict, document_id: int):
    """Upload a file as the document's draft (a new revision, or the open draft's new
    file), with the page's checks; the file is read and stored before the write."""
    document = _document(document_id)
    summary, upload_file = form["change_summary"], form["file"]
    prepared = services.prepare_upload(current_user, document, upload_file.stream,
                                       upload_file.filename or "", summary)
    uow.begin_writing()
    document = _document(document_id, for_update=True)
    revision = services.record_upload(current_user, document, prepared, summary)
    return _shown(document, revision), 201, {"ETag": versions.etag_of(revision,
                                                                      _state(revision))}


@bp.route("/<int:document_id>/revisions/<int:revision_id>")
class RevisionOne(MethodView):
    """One revision."""

    @versions.read_one(bp, RevisionSchema)
    def get(self, document_id: int, revision_id: int):
        """Read a revision, with its ETag (send it back to submit the revision)."""
        document = _document(document_id)
        revision = _revision(document, revision_id)
        return versions.with_etag(revision, _shown(document, revision), _state(revision))


# What a copy may be: a stamped PDF, or an office file or image that has no PDF rendition.
COPY_TYPES = {kind.mimetype: {"schema": {"type": "string", "format": "binary"}}
              for kind in KINDS.values()}


@bp.route("/<int:document_id>/revisions/<int:revision_id>/download")
class Download(MethodView):
    """A controlled copy."""

    @bp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf",
                 description="The file: a PDF stamped for the caller as a controlled copy "
                             "(an office file without a PDF rendition as it is).")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(410, response="GONE")
    @bp.doc(security=BEARER, responses={200: {"content": COPY_TYPES}})
    def get(self, document_id: int, revision_id: int):
        """Download a controlled copy, stamped and logged as the page's download is."""
        document = _document(document_id)
        revision = _revision(document, revision_id)
        data, kind, stem = copies.controlled_copy(current_user, document, revision)
        revision_id = revision.id
        uow.begin_writing()
        copies.record_copy(current_user, revision_id, "controlled")
        return attachment(data, kind, stem)


@bp.route("/<int:document_id>/revisions/<int:revision_id>/submit")
class Submit(MethodView):
    """Submission for approval."""

    @bp.response(200, RevisionSchema, headers=versions.ETAG_HEADER)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @versions.if_match_required(bp)
    @bp.doc(security=BEARER)
    def post(self, document_id: int, revision_id: int):
        """Send a draft to its approvers (the revision's ETag in If-Match)."""
        document = _document(document_id, for_update=True)
        revision = _revision(document, revision_id, for_update=True)
        rules.ensure(rules.may_submit(current_user, document, revision),
                     _("You do not have permission to do this."))
        versions.require_match(revision, _state(revision))
        services.submit_for_review(current_user, document, revision)
        return versions.with_etag(revision, _shown(document, revision), _state(revision))


@bp.route("/<int:document_id>/revisions/<int:revision_id>/acknowledge")
class Acknowledge(MethodView):
    """The caller's confirmation of having read the revision in force."""

    @bp.response(200, AcknowledgementSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.doc(security=BEARER)
    def post(self, document_id: int, revision_id: int):
        """Confirm having read it, as the page's button does (once; again changes nothing);
        409 `open_first` while the caller has not downloaded a copy, where that is asked."""
        revision = _revision(_document(document_id, for_update=True), revision_id)
        try:
            return acknowledgements.acknowledge(current_user, revision)
        except acknowledgements.NotOpened as refused:
            raise ApiError(refused.message, 409, "open_first") from None


def _reviewers_only(document_id: int) -> None:
    rules.ensure_review(current_user, _document(document_id))


@bp.route("/<int:document_id>/reviews/")
class Reviews(MethodView):
    """A document's periodic reviews."""

    @bp.response(200, ReviewSchema(many=True))
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=BEARER)
    def get(self, document_id: int):
        """List its periodic reviews, newest first, as the document's page shows them."""
        return queries.reviews_of(_document(document_id))

    @rules_first(_reviewers_only)
    @bp.arguments(ReviewRecord)
    @versions.creates(bp, ReviewSchema)
    def post(self, given: dict, document_id: int):
        """Record a periodic review, as its owner (or a reviewer of its department) does on
        the document's page: `no_change` extends the cycle, `revise` opens a draft."""
        document = _document(document_id, for_update=True)
        return reviews.record_review(current_user, document, today=clock.today(),
                                     **given), 201


@bp.route("/<int:document_id>/revisions/<int:revision_id>/approve")
class Approve(MethodView):
    """Approval, which the API never does."""

    @bp.alt_response(403, schema=ErrorSchema,
                     description="Always refused: `reauthentication_required`, with the "
                                 "`link` of the page where the signer signs.")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=BEARER)
    def post(self, document_id: int, revision_id: int):
        """Refused: an electronic signature needs its signer's password again, on the page."""
        document = _document(document_id)
        revision = _revision(document, revision_id)
        link = url_for("documents.revisions.sign", document_id=document.id,
                       revision_id=revision.id, _external=True)
        raise ApiError(_("An approval is an electronic signature: its signer signs on the "
                         "revision's page, with their password again."), 403,
                       "reauthentication_required", link=link)
