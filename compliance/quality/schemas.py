"""What the objectives' and the risks' API schemas share (compliance.quality.objectives.schemas,
compliance.quality.risks.schemas)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

ONE_OF = _l("Must be one of: {choices}.")
NAMES = {"type": "array", "items": {"type": "string"}}


def note(example: str, least: int = 0) -> fields.Str:
    """A text of at most 5000 characters (required when it needs at least one)."""
    limit = validate.Length(min=least, max=5000, error=_l(
        "Give from {min} to {max} characters."))
    if least:
        return fields.Str(required=True, validate=limit, metadata={"example": example})
    return fields.Str(load_default="", validate=limit, metadata={"example": example})
