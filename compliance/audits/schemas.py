"""Input and output schemas of the audits API (compliance.audits.api)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, validate

from compliance.api.pages import record_id, sorted_args
from compliance.audits import rules
from compliance.audits.labels import AUDIT_STATES, RESULTS
from compliance.core.http import LARGEST_ID

ONE_OF = _l("Must be one of: {choices}.")
IDS = {"type": "array", "items": {"type": "integer"}}


class ProgrammeSchema(Schema):
    """An audit programme: the plan of internal audits for a period."""

    id = fields.Int()
    title = fields.Str()
    period_start = fields.Date()
    period_end = fields.Date()
    notes = fields.Str()
    version = fields.Int()


class AuditListArgs(sorted_args("planned_start", "reference", "status")):
    """The filters of the audit list."""

    department = record_id()
    programme = record_id()
    status = fields.Str(load_default=None, validate=validate.OneOf(AUDIT_STATES, error=ONE_OF))
    year = fields.Int(load_default=None, validate=validate.Range(
        min=1900, max=2999, error=_l("Must be from {min} to {max}.")), metadata={
        "description": "Audits planned to start in this year."})


class AuditSchema(Schema):
    """An audit: scope, dates, team, state, meetings and report, and what the caller may
    do to it now."""

    id = fields.Int()
    reference = fields.Str(metadata={"example": "DG-2026-03"})
    programme_id = fields.Int()
    department_id = fields.Int()
    status = fields.Str(metadata={"enum": list(AUDIT_STATES)})
    criteria = fields.Str()
    scope_note = fields.Str()
    planned_start = fields.Date()
    planned_end = fields.Date()
    lead_auditor_id = fields.Int()
    team_ids = fields.Method("_team", metadata=IDS)
    clause_ids = fields.Method("_clauses", metadata=IDS)
    process_ids = fields.Method("_processes", metadata=IDS)
    opening_meeting_at = fields.DateTime(allow_none=True)
    closing_meeting_at = fields.DateTime(allow_none=True)
    started_at = fields.DateTime(allow_none=True)
    summary = fields.Str()
    reported_at = fields.DateTime(allow_none=True)
    report_signer_name = fields.Str(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancellation_reason = fields.Str()
    version = fields.Int()
    actions = fields.Method("_actions", metadata={
        "type": "array", "items": {"type": "string"},
        "description": "What the caller may do now: record, sign (on its page)…"})

    def _team(self, audit) -> list[int]:
        return [u.id for u in audit.team]

    def _clauses(self, audit) -> list[int]:
        return [c.id for c in audit.clauses]

    def _processes(self, audit) -> list[int]:
        return [p.id for p in audit.processes]

    def _actions(self, audit) -> list[str]:
        return sorted(rules.allowed_actions(current_user, audit))


class ItemSchema(Schema):
    """A line of an audit's checklist: the question and its result."""

    id = fields.Int()
    audit_id = fields.Int()
    position = fields.Int()
    clause_id = fields.Int(allow_none=True)
    question_vi = fields.Str()
    question_en = fields.Str()
    result = fields.Str(allow_none=True, metadata={"enum": [*RESULTS, None]})
    notes = fields.Str()
    answered_by_id = fields.Int(allow_none=True)
    answered_at = fields.DateTime(allow_none=True)


class ItemListArgs(sorted_args("position")):
    """The checklist in its order."""


class ItemAdd(Schema):
    """A question added to the checklist by hand, as the audit page's form sends it."""

    clause_id = record_id(allow_none=True, metadata={
        "description": "The ISO clause it tests (null: none).", "example": 41})
    question_vi = fields.Str(required=True, validate=validate.Length(
        min=1, max=2000, error=_l("Give from {min} to {max} characters.")),
        metadata={"example": "Sổ theo dõi hồ sơ có được cập nhật hằng ngày không?"})
    question_en = fields.Str(load_default="", validate=validate.Length(
        max=2000, error=_l("Give at most {max} characters.")),
        metadata={"example": "Is the dossier log kept up to date every day?"})


class DueChange(Schema):
    """The date a finding must be answered by, as the audit page's due date form sends it."""

    response_due_on = fields.Date(required=True, metadata={"example": "2026-07-15"})


class ResultChange(Schema):
    """The verdict on a checklist item, as the page's result form sends it."""

    result = fields.Str(required=True, validate=validate.OneOf(RESULTS, error=ONE_OF),
                        metadata={"example": "conforming"})
    notes = fields.Str(load_default="", validate=validate.Length(
        max=5000, error=_l("Give at most {max} characters.")))


class FindingSchema(Schema):
    """A graded finding of an audit, and the audited department's answer."""

    id = fields.Int()
    audit_id = fields.Int()
    reference = fields.Str(metadata={"example": "DG-2026-03/F02"})
    number = fields.Int()
    item_id = fields.Int(allow_none=True)
    clause_id = fields.Int(allow_none=True)
    grade = fields.Str()
    description = fields.Str()
    created_by_id = fields.Int()
    created_at = fields.DateTime()
    response_due_on = fields.Date(allow_none=True)
    response = fields.Str()
    responded_at = fields.DateTime(allow_none=True)
    responded_by_id = fields.Int(allow_none=True)
    version = fields.Int()


class FindingListArgs(sorted_args("created_at", "grade")):
    """The filters of the finding list."""

    audit = record_id()
    department = record_id()
    grade = fields.Str(load_default=None, validate=validate.Length(
        max=16, error=_l("Give at most {max} characters.")))
    answered = fields.Bool(load_default=None, metadata={
        "description": "true: only those the department has answered; false: only the "
                       "others."})


class FindingRaise(Schema):
    """A new finding, as the page's finding form sends it."""

    grade = fields.Str(required=True, validate=validate.Length(
        min=1, max=16, error=_l("Give from {min} to {max} characters.")),
        metadata={"example": "minor"})
    description = fields.Str(required=True, validate=validate.Length(
        min=1, max=5000, error=_l("Give from {min} to {max} characters.")),
        metadata={"example": "Sổ theo dõi hồ sơ chưa cập nhật từ tháng 4"})
    clause_id = record_id(allow_none=True)
    item_id = record_id(allow_none=True)


class MeetingRecord(Schema):
    """The opening or closing meeting, as the page's meeting form sends it."""

    held_at = fields.DateTime(required=True, metadata={
        "description": "When it was held; without an offset, the organisation's own time.",
        "example": "2026-06-15T08:30:00+07:00"})
    attendees = fields.Str(required=True, validate=validate.Length(
        min=1, max=5000, error=_l("Give from {min} to {max} characters.")), metadata={
        "example": "Trần Minh Thư (trưởng đoàn), Đặng Ngọc Lan (trưởng phòng)"})


class DocumentEvidence(Schema):
    """A controlled document seen as evidence: its revision in force is linked."""

    document_id = fields.Int(required=True, validate=validate.Range(
        min=1, max=LARGEST_ID, error=_l("Must be from {min} to {max}.")),
        metadata={"example": 31})


class FileEvidence(Schema):
    """An evidence file (a multipart form, as the page sends it)."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class EvidenceSchema(Schema):
    """What an auditor saw for a checklist item: a document's revision, or a file."""

    id = fields.Int()
    item_id = fields.Int()
    revision_id = fields.Int(allow_none=True)
    filename = fields.Str(allow_none=True, metadata={"example": "so-theo-doi.pdf"})
    file_kind = fields.Str(allow_none=True, metadata={"example": "pdf"})
    file_size = fields.Int(allow_none=True)
    added_by_id = fields.Int()
    added_at = fields.DateTime()


class FindingResponse(Schema):
    """The audited department's answer, as the finding's response form sends it."""

    response = fields.Str(required=True, validate=validate.Length(
        min=1, max=5000, error=_l("Give from {min} to {max} characters.")), metadata={
        "example": "Phòng đã cập nhật sổ theo dõi và phân công người kiểm tra hằng tuần"})
