"""Input and output schemas of the risks API (compliance.quality.risks.api)."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields, validate

from compliance.api.pages import record_id, sorted_args
from compliance.quality.risks import rules as risk_rules
from compliance.quality.risks.labels import ACTION_STATES, KINDS, STATES
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
