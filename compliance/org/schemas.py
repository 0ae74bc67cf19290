"""Input and output schemas of the organisation's API resources (processes, clauses)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from compliance.api.pages import record_id, sorted_args
from compliance.org.models import PROCESS_KINDS

KIND = validate.OneOf(PROCESS_KINDS, error=_l("Must be one of: {choices}."))


def _length(least: int, most: int) -> validate.Length:
    return validate.Length(min=least, max=most, error=_l("Give from {min} to {max} characters."))


class ProcessSchema(Schema):
    """A process of the quality system (clause 4.4) as the API shows it."""

    id = fields.Int()
    code = fields.Str(metadata={"example": "TTHC-TP-01"})
    name_vi = fields.Str(metadata={"example": "Chứng thực bản sao từ bản chính"})
    name_en = fields.Str()
    department_id = fields.Int()
    owner_id = fields.Int(allow_none=True)
    kind = fields.Str(metadata={"enum": list(PROCESS_KINDS)})
    # The service's own bounds (org.services), so the document says them too.
    time_limit_days = fields.Int(allow_none=True, validate=validate.Range(
        min=1, max=3650, error=_l("Must be from {min} to {max}.")))
    purpose = fields.Str()
    inputs = fields.Str()
    outputs = fields.Str()
    before_ids = fields.Method("_before", metadata={"type": "array",
                                                    "items": {"type": "integer"}})
    after_ids = fields.Method("_after", metadata={"type": "array",
                                                  "items": {"type": "integer"}})
    document_ids = fields.Method("_documents", metadata={"type": "array",
                                                         "items": {"type": "integer"}})
    version = fields.Int()

    def _before(self, process) -> list[int]:
        return [p.id for p in process.before]

    def _after(self, process) -> list[int]:
        return [p.id for p in process.after]

    def _documents(self, process) -> list[int]:
        return [d.id for d in process.documents]


class ProcessListArgs(sorted_args("code", "name_vi", "name_en")):
    """The filters of the process list."""

    department = record_id()
    kind = fields.Str(load_default=None, validate=KIND)


class ProcessChange(Schema):
    """What a change of a process may set (every field optional: the rest stays)."""

    code = fields.Str(validate=_length(1, 32))
    name_vi = fields.Str(validate=_length(1, 200))
    name_en = fields.Str(validate=_length(0, 200), metadata={"example": "Certified copies"})
    kind = fields.Str(validate=KIND)
    # The service's own bounds (org.services), so the document says them too.
    time_limit_days = fields.Int(allow_none=True, validate=validate.Range(
        min=1, max=3650, error=_l("Must be from {min} to {max}.")))
    purpose = fields.Str()
    inputs = fields.Str()
    outputs = fields.Str()


class ClauseSchema(Schema):
    """A clause of the standard's catalogue."""

    id = fields.Int()
    edition = fields.Str()
    number = fields.Str()
    parent_number = fields.Str(allow_none=True)
    title_vi = fields.Str()
    title_en = fields.Str()


class ClauseListArgs(sorted_args("sort_key")):
    """The filters of the clause catalogue (in reading order)."""

    parent = fields.Str(load_default=None, metadata={
        "description": "Only the clauses directly under this number (e.g. 7.5)."})
