"""Input and output schemas of the objectives API (compliance.quality.objectives.api)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, validate

from compliance.api.pages import record_id, sorted_args
from compliance.core import clock
from compliance.core.http import LARGEST_ID
from compliance.quality.objectives import rules as objective_rules
from compliance.quality.objectives.models import DIRECTIONS, MEASUREMENTS, RESULTS, STATUSES
from compliance.quality.schemas import NAMES, ONE_OF, note


class ObjectiveListArgs(sorted_args("year")):
    """The filters of the objectives: a year, a department, a status."""

    year = fields.Int(load_default=None, validate=validate.Range(
        min=2000, max=2100, error=_l("Must be from {min} to {max}.")),
        metadata={"example": 2026})
    department = record_id(metadata={"description": "A department's objectives (the "
                                                    "organisation's have none)."})
    status = fields.Str(load_default=None, validate=validate.OneOf(STATUSES, error=ONE_OF))


class PlanItemSchema(Schema):
    """A line of an objective's plan (6.2.2): what, with which resources, who, by when."""

    id = fields.Int()
    description = fields.Str(metadata={"example": "Theo dõi hạn giải quyết hằng tuần"})
    resources = fields.Str()
    owner_id = fields.Int()
    due_on = fields.Date(metadata={"example": "2026-06-30"})
    evaluation_method = fields.Str()
    done = fields.Bool()
    done_on = fields.Date(allow_none=True)
    version = fields.Int()


class ObjectiveSchema(Schema):
    """A quality objective of a year (6.2), its plan, and what the caller may do now."""

    id = fields.Int(metadata={"example": 7})
    year = fields.Int(metadata={"example": 2026})
    department_id = fields.Int(allow_none=True, metadata={
        "description": "None: the organisation's own objective."})
    statement_vi = fields.Str(metadata={"example": "100% hồ sơ giải quyết đúng hạn"})
    statement_en = fields.Str(metadata={"example": "100% of dossiers settled on time"})
    measurement = fields.Str(metadata={"enum": list(MEASUREMENTS)})
    measure_id = fields.Int(allow_none=True)
    target = fields.Float(allow_none=True, metadata={"example": 100.0})
    unit = fields.Str(metadata={"example": "%"})
    direction = fields.Str(metadata={"enum": list(DIRECTIONS)})
    current_value = fields.Float(allow_none=True)
    current_on = fields.Date(allow_none=True)
    status = fields.Str(metadata={"enum": list(STATUSES)})
    evaluation_comment = fields.Str()
    evaluated_on = fields.Date(allow_none=True)
    items = fields.List(fields.Nested(PlanItemSchema))
    version = fields.Int()
    actions = fields.Method("_actions", metadata={
        **NAMES, "description": "What the caller may do now: read, edit, add_item, "
                                "progress, evaluate, delete."})

    def _actions(self, objective) -> list[str]:
        return sorted(objective_rules.allowed_actions(current_user, objective, clock.today()))


class ProgressRecord(Schema):
    """A dated progress note, as the objective page's progress form sends it."""

    noted_on = fields.Date(required=True, metadata={"example": "2026-06-15"})
    text = note("Quý 2: 98% hồ sơ đúng hạn", least=1)
    value = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                         validate=validate.Range(min=-1e15, max=1e15, error=_l(
                             "Must be from {min} to {max}.")), metadata={
        "description": "The value measured (objectives checked by hand).", "example": 98.0})


class ProgressNoteSchema(Schema):
    """A progress note of an objective."""

    id = fields.Int()
    objective_id = fields.Int()
    noted_on = fields.Date()
    text = fields.Str()
    value = fields.Float(allow_none=True)
    author_id = fields.Int(allow_none=True)
    created_at = fields.DateTime()


def _id(description: str, example: int, **more) -> fields.Int:
    return fields.Int(validate=validate.Range(min=1, max=LARGEST_ID, error=_l(
        "Must be from {min} to {max}.")), metadata={"description": description,
                                                   "example": example}, **more)


def _text(most: int, example: str, **more) -> fields.Str:
    return fields.Str(validate=validate.Length(max=most, error=_l(
        "Give at most {max} characters.")), metadata={"example": example}, **more)


def _measurement(required: bool) -> dict:
    """How an objective reads and is measured, as its page's form has it."""
    needed = {"required": True} if required else {}
    return {
        "statement_vi": _text(2000, "100% hồ sơ chứng thực giải quyết đúng hạn", **needed),
        "statement_en": _text(2000, "100% of certifications settled on time"),
        "measurement": fields.Str(validate=validate.OneOf(MEASUREMENTS, error=ONE_OF),
                                  metadata={"description": "manual: checked by hand against "
                                            "the target; measure: by a process measure.",
                                            "example": "manual"}),
        "measure_id": _id("The process measure (measurement `measure`).", 12,
                          allow_none=True),
        "target": fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(
            min=-1e12, max=1e12, error=_l("Must be from {min} to {max}.")),
            metadata={"example": 100.0}),
        "unit": _text(40, "%"),
        "direction": fields.Str(validate=validate.OneOf(DIRECTIONS, error=ONE_OF),
                                metadata={"example": "higher"}),
    }


class ObjectiveCreate(Schema.from_dict(_measurement(required=True))):
    """A new objective of a year, as the page's form sets it."""

    year = fields.Int(required=True, validate=validate.Range(
        min=2000, max=2100, error=_l("Must be from {min} to {max}.")),
        metadata={"example": 2026})
    department_id = _id("The department (null: the organisation's own objective).", 2,
                        load_default=None, allow_none=True)


class ObjectiveChange(Schema.from_dict(_measurement(required=False))):
    """What a change of an objective may set (the fields sent; the rest stays; its
    department and year stay)."""


def _plan_item(required: bool) -> dict:
    """A step of the plan, as the objective page's plan form has it."""
    needed = {"required": True} if required else {}
    return {
        "description": _text(5000, "Theo dõi hạn giải quyết hằng tuần", **needed),
        "resources": _text(2000, "Phần mềm một cửa"),
        "owner_id": _id("Who carries it out.", 8, **needed),
        "due_on": fields.Date(metadata={"example": "2026-09-30"}, **needed),
        "evaluation_method": _text(2000, "Báo cáo tuần của bộ phận một cửa", **needed),
    }


class PlanItemRecord(Schema.from_dict(_plan_item(required=True))):
    """A new step of an objective's plan (6.2.2): what, with which resources, who, by when,
    how its result is evaluated."""


class PlanItemChange(Schema.from_dict(_plan_item(required=False))):
    """What a change of a plan item may set (the fields sent; the rest stays)."""


class PlanItemDone(Schema):
    """A plan item marked done, as the objective page's form sends it."""

    done_on = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "The day it was done (none: today; never in the future).",
        "example": "2026-06-12"})


class EvaluationRecord(Schema):
    """The year-end evaluation, as the objective page's evaluation form sends it."""

    result = fields.Str(required=True, validate=validate.OneOf(RESULTS, error=ONE_OF),
                        metadata={"example": "achieved"})
    comment = note("Đạt 100% theo báo cáo năm", least=1)


class PlanItemOne(PlanItemSchema):
    """A plan item with its objective (its ETag is the item's version)."""

    objective_id = fields.Int()
