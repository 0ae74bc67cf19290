"""Input and output schemas of the measures API (compliance.quality.measures.api)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, validate

from compliance.api.pages import record_id, sorted_args
from compliance.core.http import LARGEST_ID
from compliance.quality.measures import rules, services
from compliance.quality.measures.models import (
    DIRECTIONS,
    FREQUENCIES,
    IMPORT_STATES,
    VALUE_SOURCES,
)
from compliance.quality.measures.services.common import MAX_COUNT

ONE_OF = _l("Must be one of: {choices}.")
NAMES = {"type": "array", "items": {"type": "string"}}
# Far above any figure an office measures, and within what both databases hold exactly.
LARGEST_FIGURE = 1e15


class MeasureListArgs(sorted_args("code")):
    """The register's filters: a department, a process, a code, whether still recorded."""

    department = record_id()
    process = record_id()
    code = fields.Str(load_default=None, validate=validate.Length(
        max=32, error=_l("Give at most {max} characters.")), metadata={
        "description": "The measure with this code (how an integration finds its measure).",
        "example": "KPI-TP-01"})
    active = fields.Bool(load_default=None, metadata={
        "description": "true: only the measures still recorded; false: only the others."})


class MeasureSchema(Schema):
    """A measure of a process (9.1.1) and what the caller may do to it now."""

    id = fields.Int(metadata={"example": 12})
    code = fields.Str(metadata={"example": "KPI-TP-01"})
    process_id = fields.Int(metadata={"example": 3})
    department_id = fields.Int(metadata={"example": 2})
    name_vi = fields.Str(metadata={"example": "Tỷ lệ hồ sơ giải quyết đúng hạn"})
    name_en = fields.Str(metadata={"example": "Dossiers settled on time"})
    unit = fields.Str(metadata={"example": "%"})
    direction = fields.Str(metadata={"enum": list(DIRECTIONS)})
    target = fields.Float(metadata={"example": 95.0})
    frequency = fields.Str(metadata={"enum": list(FREQUENCIES)})
    first_period = fields.Str(metadata={"example": "2026-01"})
    recorder_id = fields.Int(allow_none=True)
    ratio = fields.Bool(metadata={
        "description": "Computed as on_time ÷ received × 100: a value gives the counts."})
    customer_feedback = fields.Bool()
    active = fields.Bool()
    version = fields.Int()
    actions = fields.Method("_actions", metadata={
        **NAMES, "description": "What the caller may do now: read, edit, record.",
        "example": ["read", "record"]})

    def _actions(self, measure) -> list[str]:
        return sorted(rules.allowed_actions(current_user, measure))


class ValueListArgs(sorted_args("period_start")):
    """The values in period order (`-period_start`: the newest first)."""


class ValueSchema(Schema):
    """The value of one period, judged against the target of its day."""

    id = fields.Int(metadata={"example": 40})
    measure_id = fields.Int(metadata={"example": 12})
    period = fields.Str(metadata={"example": "2026-05"})
    period_start = fields.Date(metadata={"example": "2026-05-01"})
    period_end = fields.Date(metadata={"example": "2026-05-31"})
    value = fields.Float(allow_none=True, metadata={"example": 97.5})
    received = fields.Int(allow_none=True, metadata={"example": 120})
    on_time = fields.Int(allow_none=True, metadata={"example": 117})
    late = fields.Int(allow_none=True, metadata={"example": 3})
    target = fields.Float(metadata={"example": 95.0})
    missed = fields.Bool(metadata={"example": False})
    note = fields.Str()
    has_evidence = fields.Method("_evidence", metadata={"type": "boolean"})
    source = fields.Str(metadata={"enum": list(VALUE_SOURCES)})
    recorded_by_id = fields.Int(allow_none=True)
    recorded_at = fields.DateTime()
    corrective_action_id = fields.Method("_ca", metadata={"type": ["integer", "null"]})

    def _evidence(self, value) -> bool:
        return value.blob_sha256 is not None

    def _ca(self, value) -> int | None:
        ca = services.corrective_action_of(value)
        return ca.id if ca is not None else None


def _count(description: str, example: int) -> fields.Int:
    return fields.Int(load_default=None, allow_none=True, validate=validate.Range(
        min=0, max=MAX_COUNT, error=_l("Must be from {min} to {max}.")), metadata={
        "description": description, "example": example})


class ValueRecord(Schema):
    """The value of one period, as the measure's page takes it (with its evidence file:
    `…/values/with-evidence`): a figure, or for a ratio measure the counts it is computed from."""

    period = fields.Str(required=True, validate=validate.Length(
        min=1, max=8, error=_l("Give from {min} to {max} characters.")), metadata={
        "description": "Written 2026-03 (monthly), 2026-Q1, 2026-H1 or 2026, as the "
                       "measure's frequency has it.", "example": "2026-05"})
    value = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                         validate=validate.Range(min=-LARGEST_FIGURE, max=LARGEST_FIGURE,
                                                 error=_l("Must be from {min} to {max}.")),
                         metadata={"description": "The figure (not for a ratio measure).",
                                   "example": 97.5})
    received = _count("Dossiers received (a ratio measure).", 120)
    on_time = _count("Dossiers settled on time (a ratio measure).", 117)
    late = _count("Dossiers settled late (a ratio measure; optional).", 3)
    note = fields.Str(load_default="", validate=validate.Length(
        max=5000, error=_l("Give at most {max} characters.")), metadata={
        "example": "Từ phần mềm một cửa"})


class ValueRecordWithFile(ValueRecord):
    """The value of one period with its evidence file, as the measure's page takes it (a
    multipart form: the file beside the fields)."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": "The evidence, checked by its "
                                               "content and stored by hash."})


def _text(most: int, example: str, **more) -> fields.Str:
    return fields.Str(validate=validate.Length(
        max=most, error=_l("Give at most {max} characters.")), metadata={"example": example},
        **more)


def _definition(required: bool) -> dict:
    """The fields of a measure's definition, as its page's form has them (required or not)."""
    needed = {"required": True} if required else {}
    return {
        "code": _text(32, "KPI-TP-03", **needed),
        "process_id": fields.Int(validate=validate.Range(
            min=1, max=LARGEST_ID, error=_l("Must be from {min} to {max}.")),
            metadata={"example": 3}, **needed),
        "name_vi": _text(300, "Tỷ lệ hồ sơ trả kết quả đúng hạn", **needed),
        "name_en": _text(300, "Dossiers returned on time"),
        "unit": _text(32, "%"),
        "direction": fields.Str(validate=validate.OneOf(
            DIRECTIONS, error=ONE_OF),
            metadata={"example": "higher"}, **needed),
        "target": fields.Float(allow_nan=False, validate=validate.Range(
            min=-LARGEST_FIGURE, max=LARGEST_FIGURE, error=_l("Must be from {min} to {max}.")),
            metadata={"example": 95.0}, **needed),
        "frequency": fields.Str(validate=validate.OneOf(
            FREQUENCIES, error=ONE_OF),
            metadata={"example": "monthly"}, **needed),
        "first_period": fields.Str(validate=validate.Length(
            min=1, max=8, error=_l("Give from {min} to {max} characters.")), metadata={
            "description": "The first period recorded, written as the frequency has it "
                           "(2026-01, 2026-Q1, 2026-H1 or 2026).", "example": "2026-01"},
            **needed),
        "recorder_id": fields.Int(allow_none=True, validate=validate.Range(
            min=1, max=LARGEST_ID, error=_l("Must be from {min} to {max}.")), metadata={
            "description": "Who records the values (null: nobody named).", "example": 8}),
        "ratio": fields.Bool(metadata={"description": "Computed as on_time ÷ received × 100 "
                                                      "(the target is then a percentage)."}),
        "customer_feedback": fields.Bool(metadata={
            "description": "A customer satisfaction or feedback measure (9.1.2)."}),
        "active": fields.Bool(metadata={"description": "Still recorded."}),
    }


class MeasureCreate(Schema.from_dict(_definition(required=True))):
    """A new measure of a process, as the page's form defines it."""


class MeasureChange(Schema.from_dict(_definition(required=False))):
    """What a change of a measure may set (the fields sent; the rest stays)."""


class ImportFile(Schema):
    """A CSV file of values (a multipart form, as the import page sends it)."""

    file = fields.Raw(required=True, metadata={
        "type": "string", "format": "binary",
        "description": "UTF-8 CSV, a header row of: measure, period, value, received, "
                       "on_time, late, note."})


class ImportRowSchema(Schema):
    """A row of the file: what it would write, or why it is refused."""

    line = fields.Int(metadata={"example": 2})
    measure = fields.Str(attribute="code", metadata={"example": "KPI-TP-01"})
    period = fields.Str(metadata={"example": "2026-05"})
    value = fields.Float(attribute="checked.value", allow_none=True,
                         metadata={"example": 97.5})
    received = fields.Int(attribute="checked.received", allow_none=True)
    on_time = fields.Int(attribute="checked.on_time", allow_none=True)
    late = fields.Int(attribute="checked.late", allow_none=True)
    note = fields.Str()
    missed = fields.Bool(metadata={"description": "Whether it would miss the target."})
    reason = fields.Str(allow_none=True, metadata={
        "description": "Why the row is refused (none for a row to write)."})


class ImportSchema(Schema):
    """An import of values: previewed (with the rows it would write and those refused), or
    confirmed (with how many were written)."""

    id = fields.Int(metadata={"example": 4})
    filename = fields.Str(metadata={"example": "gia-tri-2026-05.csv"})
    file_size = fields.Int()
    status = fields.Str(metadata={"enum": list(IMPORT_STATES)})
    uploaded_by_id = fields.Int(allow_none=True)
    uploaded_at = fields.DateTime()
    confirmed_at = fields.DateTime(allow_none=True)
    rows_written = fields.Int(allow_none=True)
    rows_refused = fields.Int(allow_none=True)
    rows = fields.List(fields.Nested(ImportRowSchema), metadata={
        "description": "While previewed: the rows a confirmation writes."})
    refused = fields.List(fields.Nested(ImportRowSchema), metadata={
        "description": "While previewed: the rows refused, each with its reason."})
