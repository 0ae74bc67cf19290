"""Input and output schemas of the corrective-actions API (compliance.capa.api)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, validate

from compliance.api.pages import record_id, sorted_args
from compliance.capa import queries, rules
from compliance.capa.models import ACTION_STATES, CA_STATES, CHECK_STATES, ISHIKAWA, SOURCES
from compliance.core import clock
from compliance.core.http import LARGEST_ID

ONE_OF = _l("Must be one of: {choices}.")
NAMES = {"type": "array", "items": {"type": "string"}}


class CorrectiveListArgs(sorted_args("raised_on", "reference", "status")):
    """The register's filters, as the register page takes them."""

    department = record_id()
    status = fields.Str(load_default=None, validate=validate.OneOf(CA_STATES, error=ONE_OF))
    source = fields.Str(load_default=None, validate=validate.OneOf(SOURCES, error=ONE_OF))
    grade = fields.Str(load_default=None, validate=validate.Length(
        max=16, error=_l("Give at most {max} characters.")))
    overdue = fields.Bool(load_default=False, metadata={
        "description": "Only those past their target date, or with an action or a check "
                       "past its due date."})


class CorrectiveSchema(Schema):
    """A corrective action (10.2), and what the caller may do to it now."""

    id = fields.Int()
    reference = fields.Str(metadata={"example": "HDKP-2026-014"})
    source = fields.Str(metadata={"enum": list(SOURCES)})
    finding_id = fields.Int(allow_none=True)
    measure_value_id = fields.Int(allow_none=True)
    department_id = fields.Int()
    grade = fields.Str()
    problem = fields.Str(metadata={"example": "Hồ sơ trả kết quả quá hạn"})
    status = fields.Str(metadata={"enum": list(CA_STATES)})
    raised_by_id = fields.Int()
    raised_on = fields.Date()
    target_on = fields.Date(allow_none=True)
    verifier_id = fields.Int(allow_none=True)
    correction = fields.Str()
    corrected_on = fields.Date(allow_none=True)
    ishikawa = fields.Str(allow_none=True)
    extent = fields.Str()
    closure_note = fields.Str()
    closed_on = fields.Date(allow_none=True)
    closed_by_id = fields.Int(allow_none=True)
    overdue = fields.Method("_overdue", metadata={"type": "boolean"})
    version = fields.Int()
    actions = fields.Method("_actions", metadata={
        **NAMES, "description": "What the caller may do now: complete_action, close (on "
                                "its page)…"})

    def _overdue(self, ca) -> bool:
        return queries.is_overdue(ca, clock.today())

    def _actions(self, ca) -> list[str]:
        return sorted(rules.allowed_actions(current_user, ca))


class ActionSchema(Schema):
    """An action of the plan: who does what by when, and what the caller may do to it."""

    id = fields.Int()
    corrective_action_id = fields.Int()
    description = fields.Str()
    owner_id = fields.Int()
    due_on = fields.Date()
    status = fields.Str(metadata={"enum": list(ACTION_STATES)})
    done_on = fields.Date(allow_none=True)
    done_note = fields.Str()
    cancelled_on = fields.Date(allow_none=True)
    cancel_reason = fields.Str()
    document_id = fields.Int(allow_none=True)
    revision_id = fields.Int(allow_none=True)
    created_at = fields.DateTime()
    version = fields.Int()
    allowed = fields.Method("_allowed", metadata={
        **NAMES, "description": "What the caller may do to the action now: complete…"})

    def _allowed(self, action) -> list[str]:
        return sorted(rules.allowed_on_action(current_user, action))


class CheckSchema(Schema):
    """An effectiveness check: due when, by whom, and the verifier's judgement."""

    id = fields.Int()
    corrective_action_id = fields.Int()
    due_on = fields.Date()
    verifier_id = fields.Int(allow_none=True)
    status = fields.Str(metadata={"enum": list(CHECK_STATES)})
    notes = fields.Str()
    recorded_by_id = fields.Int(allow_none=True)
    recorded_on = fields.Date(allow_none=True)


class ActionDone(Schema):
    """An action marked done, as the page's form sends it (the evidence file stays on the
    page)."""

    note = fields.Str(load_default="", validate=validate.Length(
        max=5000, error=_l("Give at most {max} characters.")), metadata={
        "example": "Đã lập sổ theo dõi luân chuyển hồ sơ"})


class ActionDoneWithFile(ActionDone):
    """An action marked done with its evidence file (a multipart form, as the page sends
    it)."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": "The evidence, checked by its "
                                               "content and stored by hash."})


def _text(most: int, example: str) -> fields.Str:
    return fields.Str(required=True, validate=validate.Length(min=1, max=most, error=_l(
        "Give from {min} to {max} characters.")), metadata={"example": example})


class Containment(Schema):
    """The immediate correction, as the page's containment form sends it."""

    correction = _text(5000, "Đã trả kết quả cho công dân và xin lỗi bằng văn bản")
    corrected_on = fields.Date(required=True, metadata={"example": "2026-06-12"})


class Analysis(Schema):
    """The root cause, as the page's analysis form sends it."""

    whys = fields.List(fields.Str(validate=validate.Length(max=2000, error=_l(
        "Give at most {max} characters."))), load_default=list, validate=validate.Length(
        max=5, error=_l("Give at most {max}.")), metadata={
        "description": "The 5-why chain, first answer first.",
        "example": ["Hồ sơ bị chuyển nhầm bộ phận", "Chưa có sổ theo dõi luân chuyển"]})
    ishikawa = fields.Str(required=True, validate=validate.OneOf(ISHIKAWA, error=ONE_OF))
    extent = _text(5000, "Có thể xảy ra ở bộ phận một cửa khác")
    affected_ids = fields.List(record_id(), load_default=list, validate=validate.Length(
        max=100, error=_l("Give at most {max}.")), metadata={
        "description": "Other departments where it could occur."})


class ActionPlan(Schema):
    """A new action of the plan, as the page's action form sends it."""

    description = _text(5000, "Lập sổ theo dõi luân chuyển hồ sơ")
    owner_id = fields.Int(required=True, validate=validate.Range(
        min=1, max=LARGEST_ID, error=_l("Must be from {min} to {max}.")))
    due_on = fields.Date(required=True, metadata={"example": "2026-07-15"})
    document_id = record_id(allow_none=True, metadata={
        "description": "A document in force whose revision the action asks for (a draft "
                       "is opened)."})


class CheckResult(Schema):
    """The verifier's judgement, as the page's check form sends it (a multipart form: the
    evidence file, which some grades need, beside the fields)."""

    effective = fields.Bool(required=True, metadata={"example": True})
    notes = _text(5000, "Ba tháng liền không còn hồ sơ trễ hạn")
    file = fields.Raw(load_default=None, metadata={"type": "string", "format": "binary"})
