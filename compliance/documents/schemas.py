"""Input and output schemas of the documents API (compliance.documents.api)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from compliance.api.pages import PageArgs, record_id
from compliance.documents import queries
from compliance.documents.labels import OUTCOMES
from compliance.documents.models import DOC_TYPES

ONE_OF = _l("Must be one of: {choices}.")
# The register's own filter values (documents.web.pages._filter_from_args).
REGISTER_STATES = ("draft", "effective", "obsolete")
SORTS = [*queries.SORTS, *(f"-{key}" for key in queries.SORTS)]


def _ids(name: str):
    return fields.Method(name, metadata={"type": "array", "items": {"type": "integer"}})


class RegisterArgs(PageArgs):
    """The register's filters, search and sort, as the register page takes them."""

    q = fields.Str(load_default=None, validate=validate.Length(
        max=200, error=_l("Give at most {max} characters.")), metadata={
        "description": "Full-text search (the register page's): code, titles and content."})
    department = record_id()
    status = fields.Str(load_default=None, validate=validate.OneOf(REGISTER_STATES,
                                                                   error=ONE_OF))
    type = fields.Str(load_default=None, validate=validate.OneOf(DOC_TYPES, error=ONE_OF))
    clause = record_id()
    owner = record_id()
    review_before = fields.Date(load_default=None)
    sort = fields.Str(load_default="code", validate=validate.OneOf(SORTS, error=ONE_OF))


class RegisterRowSchema(Schema):
    """A line of the register."""

    id = fields.Int()
    code = fields.Str(metadata={"example": "QT-TP-01"})
    doc_type = fields.Str()
    title_vi = fields.Str(metadata={"example": "Quy trình chứng thực bản sao"})
    title_en = fields.Str(allow_none=True)
    status = fields.Str()
    department_code = fields.Str()
    next_review_date = fields.Date(allow_none=True)
    updated_at = fields.DateTime()
    label = fields.Str(allow_none=True, metadata={"description": "The revision in force.",
                                                  "example": "03"})
    effective_date = fields.Date(allow_none=True)


class DocumentSchema(Schema):
    """A document's register entry (its metadata) and what the caller may do to it."""

    id = fields.Int()
    code = fields.Str(metadata={"example": "QT-TP-01"})
    doc_type = fields.Str()
    department_id = fields.Int()
    title_vi = fields.Str(metadata={"example": "Quy trình chứng thực bản sao"})
    title_en = fields.Str(allow_none=True)
    owner_id = fields.Int()
    status = fields.Str()
    review_interval_months = fields.Int()
    next_review_date = fields.Date(allow_none=True)
    is_public = fields.Bool()
    external_source = fields.Str(allow_none=True)
    external_edition = fields.Str(allow_none=True)
    external_check_date = fields.Date(allow_none=True)
    clause_ids = _ids("_clauses")
    reader_department_ids = _ids("_readers")
    updated_at = fields.DateTime()
    version = fields.Int()

    def _clauses(self, document) -> list[int]:
        return [c.id for c in document.clauses]

    def _readers(self, document) -> list[int]:
        return [d.id for d in document.reader_departments]


class RevisionSchema(Schema):
    """One revision of a document, and what the caller may do to it now."""

    id = fields.Int()
    document_id = fields.Int()
    number = fields.Int()
    label = fields.Str(metadata={"example": "03"})
    status = fields.Str()
    file_kind = fields.Str()
    filename = fields.Str()
    file_size = fields.Int()
    change_summary = fields.Str()
    author_id = fields.Int()
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    effective_date = fields.Date(allow_none=True)
    superseded_at = fields.DateTime(allow_none=True)
    rejection_comment = fields.Str(allow_none=True)
    actions = fields.List(fields.Str(), metadata={
        "description": "What the caller may do now: download, submit, sign (on its page)…"})


class UploadForm(Schema):
    """A new draft: the file and what changed (a multipart form, as the page sends)."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
    change_summary = fields.Str(required=True, validate=validate.Length(
        min=1, max=5000, error=_l("Give from {min} to {max} characters.")), metadata={
        "example": "Cập nhật biểu mẫu theo Nghị định 07/2025"})


class AcknowledgementSchema(Schema):
    """A reading request of the caller, and when they confirmed it."""

    revision_id = fields.Int()
    requested_at = fields.DateTime()
    acknowledged_at = fields.DateTime(allow_none=True)


class ReviewSchema(Schema):
    """A periodic review of a document: who, when, the outcome and the next review."""

    id = fields.Int()
    reviewer_id = fields.Int()
    outcome = fields.Str()
    comment = fields.Str()
    reviewed_at = fields.DateTime()
    next_review_date = fields.Date(allow_none=True)


class ReviewRecord(Schema):
    """A periodic review, as the document page's review form sends it."""

    outcome = fields.Str(required=True, validate=validate.OneOf(OUTCOMES, error=ONE_OF),
                         metadata={"example": "no_change"})
    comment = fields.Str(required=True, validate=validate.Length(
        min=1, max=5000, error=_l("Give from {min} to {max} characters.")), metadata={
        "example": "Còn phù hợp với quy định hiện hành."})
