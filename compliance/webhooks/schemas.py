"""Input and output schemas of the webhook API resources."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from compliance.webhooks.labels import EVENTS

EVENT = validate.OneOf(tuple(EVENTS), error=_l("Must be one of: {choices}."))


def _length(least: int, most: int) -> validate.Length:
    return validate.Length(min=least, max=most, error=_l("Give from {min} to {max} characters."))


class WebhookSchema(Schema):
    """A webhook as the API shows it (never its secret, but once, on creation)."""

    id = fields.Int()
    name = fields.Str()
    url = fields.Str()
    events = fields.List(fields.Str(metadata={"enum": list(EVENTS)}), attribute="event_list")
    active = fields.Bool()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class NewWebhookSchema(WebhookSchema):
    """A webhook just registered, with its signing secret: shown this once only."""

    secret = fields.Str(metadata={"description": "The signing secret; it is never shown "
                                                 "again.", "example": "whsec_…"})


class WebhookCreate(Schema):
    """What registering a hook takes."""

    name = fields.Str(required=True, validate=_length(1, 200))
    url = fields.Str(required=True, validate=_length(1, 500),
                     metadata={"example": "https://portal.example.org/hooks/compliance"})
    events = fields.List(fields.Str(validate=EVENT), required=True,
                         validate=validate.Length(min=1, max=len(EVENTS)))
    active = fields.Bool(load_default=True)


class WebhookChange(Schema):
    """What a change of a hook may set (every field optional: the rest stays)."""

    name = fields.Str(validate=_length(1, 200))
    url = fields.Str(validate=_length(1, 500))
    events = fields.List(fields.Str(validate=EVENT),
                         validate=validate.Length(min=1, max=len(EVENTS)))
    active = fields.Bool()


class AttemptSchema(Schema):
    """One try at posting a delivery."""

    attempted_at = fields.DateTime()
    status_code = fields.Int(allow_none=True)
    error = fields.Str(allow_none=True)
    duration_ms = fields.Int()


class DeliverySchema(Schema):
    """One event posted (or to be posted) to a hook, with its attempts."""

    id = fields.Int()
    webhook_id = fields.Int()
    event = fields.Str(metadata={"enum": list(EVENTS)})
    event_id = fields.Str()
    status = fields.Str(metadata={"enum": ["waiting", "sent", "failed"]})
    attempts = fields.Int()
    next_attempt_at = fields.DateTime()
    last_status_code = fields.Int(allow_none=True)
    last_error = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    attempt_log = fields.List(fields.Nested(AttemptSchema), data_key="attempt_log")
