"""Input and output schemas of the risks API (compliance.quality.risks.api)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, validate

from compliance.api.pages import record_id, sorted_args
from compliance.core.http import LARGEST_ID
from compliance.quality.risks import rules as risk_rules
from compliance.quality.risks.labels import ACTION_STATES, KINDS, STATES
from compliance.quality.risks.levels import SIZES
from compliance.quality.schemas import NAMES, ONE_OF, note


class RiskListArgs(sorted_args("reference", "score", "raised_on")):
    """The register's filters, as the risk register page takes them."""

    department = record_id()
    process = record_id()
    kind = fields.Str(load_default=None, validate=validate.OneOf(KINDS, error=ONE_OF))
    status = fields.Str(load_default=None, validate=validate.OneOf(STATES, error=ONE_OF))


class RiskActionSchema(Schema):
    """A treatment action of a risk."""

    id = fields.Int()
    description = fields.Str(metadata={"example": "Bố trí thêm cán bộ tiếp nhận"})
    owner_id = fields.Int()
    due_on = fields.Date()
    status = fields.Str(metadata={"enum": list(ACTION_STATES)})
    done_on = fields.Date(allow_none=True)
    done_note = fields.Str()


class RiskSchema(Schema):
    """A risk or opportunity (6.1): its rating before and after treatment, its actions."""

    id = fields.Int(metadata={"example": 5})
    reference = fields.Str(metadata={"example": "R-05"})
    department_id = fields.Int()
    process_id = fields.Int(allow_none=True)
    kind = fields.Str(metadata={"enum": list(KINDS)})
    description = fields.Str(metadata={"example": "Hồ sơ trả kết quả trễ hạn"})
    cause = fields.Str()
    consequence = fields.Str()
    likelihood = fields.Int(metadata={"example": 3})
    impact = fields.Int(metadata={"example": 4})
    score = fields.Int(metadata={"example": 12})
    residual_likelihood = fields.Int(allow_none=True)
    residual_impact = fields.Int(allow_none=True)
    residual_score = fields.Int(allow_none=True)
    status = fields.Str(metadata={"enum": list(STATES)})
    status_note = fields.Str()
    review_on = fields.Date(allow_none=True)
    reviewed_on = fields.Date(allow_none=True)
    raised_on = fields.Date()
    treatment = fields.List(fields.Nested(RiskActionSchema), attribute="actions")
    version = fields.Int()
    actions = fields.Method("_actions", metadata={
        **NAMES, "description": "What the caller may do now: read, edit, status, review…"})

    def _actions(self, risk) -> list[str]:
        return sorted(risk_rules.allowed_actions(current_user, risk))


class RiskReview(Schema):
    """The periodic review of a risk, as the risk page's review form sends it."""

    note = note("Chưa phát sinh hồ sơ trễ hạn mới")
    next_review_on = fields.Date(required=True, metadata={"example": "2026-12-15"})


class TreatmentDone(Schema):
    """A treatment action marked done, as the risk page's form sends it."""

    note = note("Đã bố trí thêm một cán bộ tiếp nhận")


class TreatmentSchema(RiskActionSchema):
    """A treatment action with its version (its ETag's)."""

    risk_id = fields.Int()
    version = fields.Int()


def _id(description: str, example: int, **more) -> fields.Int:
    return fields.Int(validate=validate.Range(min=1, max=LARGEST_ID, error=_l(
        "Must be from {min} to {max}.")), metadata={"description": description,
                                                   "example": example}, **more)


def _rating(description: str, example: int, **more) -> fields.Int:
    # The scale is 3×3 or 5×5 (the organisation's): the service refuses past its size.
    return fields.Int(validate=validate.Range(min=1, max=max(SIZES), error=_l(
        "Must be from {min} to {max}.")), metadata={"description": description,
                                                   "example": example}, **more)


def _rated(required: bool) -> dict:
    """What a risk says and how it is rated, as the risk page's form has it."""
    needed = {"required": True} if required else {}
    return {
        "kind": fields.Str(validate=validate.OneOf(KINDS, error=ONE_OF),
                           metadata={"example": "risk"}, **needed),
        "description": fields.Str(validate=validate.Length(min=1, max=5000, error=_l(
            "Give from {min} to {max} characters.")),
            metadata={"example": "Hồ sơ trả kết quả trễ hạn"}, **needed),
        "cause": fields.Str(validate=validate.Length(max=5000, error=_l(
            "Give at most {max} characters.")), metadata={"example": "Thiếu cán bộ"}),
        "consequence": fields.Str(validate=validate.Length(max=5000, error=_l(
            "Give at most {max} characters.")), metadata={"example": "Khiếu nại"}),
        "likelihood": _rating("Before treatment, on the organisation's scale.", 3, **needed),
        "impact": _rating("Before treatment, on the organisation's scale.", 4, **needed),
        "process_id": _id("The department's process it concerns (null: none).", 3,
                          allow_none=True),
        "review_on": fields.Date(allow_none=True, metadata={
            "description": "The next review (null: a year from today).",
            "example": "2027-01-15"}),
    }


class RiskCreate(Schema.from_dict(_rated(required=True))):
    """A new risk or opportunity of a department, rated before treatment, as the page's
    form adds it."""

    department_id = _id("The department whose register it joins.", 2, required=True)


class RiskChange(Schema.from_dict(_rated(required=False))):
    """What a change of a risk may set (the fields sent; the rest stays), with its rating
    after treatment (both or neither; null clears them)."""

    residual_likelihood = _rating("After treatment.", 2, allow_none=True)
    residual_impact = _rating("After treatment.", 2, allow_none=True)


class StatusChange(Schema):
    """A risk treated, accepted or closed (with the reason), or open again, as the risk
    page's status form sends it."""

    status = fields.Str(required=True, validate=validate.OneOf(STATES, error=ONE_OF),
                        metadata={"example": "accepted"})
    note = note("Chi phí xử lý vượt lợi ích")


def _treatment(required: bool) -> dict:
    """The fields of a treatment action, as the risk page's forms have them."""
    return {
        "description": fields.Str(required=required, validate=validate.Length(
            min=1, max=5000, error=_l("Give from {min} to {max} characters.")),
            metadata={"example": "Bố trí thêm cán bộ tiếp nhận"}),
        "owner_id": _id("Who carries it out.", 8, required=required),
        "due_on": fields.Date(required=required, metadata={"example": "2026-08-31"})}


class TreatmentRecord(Schema.from_dict(_treatment(required=True))):
    """A treatment action planned, as the risk page's form sends it: what, who, by when."""


class TreatmentChange(Schema.from_dict(_treatment(required=False))):
    """What a change of an open treatment action may set (the fields sent; the rest stays)."""


class RiskLinkRecord(Schema):
    """A finding or a corrective action of the risk's department that changed it (one of
    the two), as the risk page's link form sends it."""

    finding_id = _id("A finding of the department.", 21, load_default=None, allow_none=True)
    corrective_action_id = _id("A corrective action of the department.", 9,
                               load_default=None, allow_none=True)
    note = note("Phát hiện trong đánh giá nội bộ quý 2")


class RiskLinkSchema(Schema):
    """A link of a risk to a finding or a corrective action."""

    id = fields.Int()
    risk_id = fields.Int()
    finding_id = fields.Int(allow_none=True)
    corrective_action_id = fields.Int(allow_none=True)
    note = fields.Str()
    added_by_id = fields.Int(allow_none=True)
    added_on = fields.Date()
