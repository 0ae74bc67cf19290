"""The API's refusals: a machine-readable code beside each translated message, and the
validation messages of marshmallow and webargs answered in the request's language."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from compliance.core.errors import DomainError

# The code of a DomainError that names none, by its status.
CODES = {400: "invalid", 403: "forbidden", 404: "not_found", 409: "conflict", 410: "gone",
         412: "precondition_failed", 413: "too_large", 415: "unsupported_media_type",
         422: "invalid", 428: "precondition_required",
         429: "rate_limited"}
# Werkzeug's own errors (an unknown address, a method the resource lacks), in our words.
HTTP_MESSAGES = {400: _l("The request is not valid."), 404: _l("No such resource."),
                 405: _l("This resource does not answer this method."),
                 413: _l("The request is too large."),
                 415: _l("This kind of content is not accepted here."),
                 429: _l("Too many requests: wait a moment, then try again."),
                 500: _l("Something went wrong on the server.")}
# Marshmallow's and webargs' messages that carry no value, marked here so that the catalogue
# holds them; those that carry one (a range, a choice) are given by our schemas themselves.
VALIDATION_MESSAGES = (_l("Missing data for required field."), _l("Unknown field."),
                       _l("Not a valid integer."), _l("Not a valid string."),
                       _l("Not a valid date."), _l("Not a valid datetime."),
                       _l("Not a valid boolean."), _l("Field may not be null."),
                       _l("Invalid input type."), _l("Invalid value."),
                       _l("Not a valid number."), _l("Not a valid list."),
                       _l("Not a valid mapping type."),
                       _l("Invalid JSON body."))


class ApiError(DomainError):
    """A refusal proper to the API, with its own code and, for some, a page to go to."""

    def __init__(self, message, status: int, code: str, link: str | None = None):
        super().__init__(message, status=status)
        self.code, self.link = code, link


def code_of(error: DomainError) -> str:
    """The machine-readable code of a domain refusal."""
    return getattr(error, "code", None) or CODES.get(error.status, "invalid")


def first_message(messages) -> tuple[str | None, str]:
    """The field and the (translated) message of the first validation error of webargs'
    {location: {field: [messages] | {index: [messages]}}}."""
    located = next(iter(messages.values()), None) if isinstance(messages, dict) else None
    if isinstance(located, list) and located:  # about the whole body (not JSON at all)
        return None, "; ".join(gettext(str(text)) for text in located)
    if not isinstance(located, dict) or not located:
        return None, str(gettext("The request is not valid."))
    field = next(iter(located))
    found = located[field]
    while isinstance(found, dict) and found:  # a list's or a nested schema's messages
        found = next(iter(found.values()))
    texts = found if isinstance(found, list) else [found]
    return str(field), "; ".join(gettext(str(text)) for text in texts)


class ErrorBody(Schema):
    """What went wrong: the status, a stable code, a message in the caller's language, the
    input it concerns and, for a refused signature, the page where a person signs."""

    status = fields.Int(required=True, metadata={"example": 412})
    code = fields.Str(required=True, metadata={"example": "precondition_failed"})
    message = fields.Str(required=True)
    field = fields.Str(metadata={"example": "limit"})
    link = fields.Str()


class ErrorSchema(Schema):
    """Every error answer: {"error": {...}}."""

    error = fields.Nested(ErrorBody, required=True)
