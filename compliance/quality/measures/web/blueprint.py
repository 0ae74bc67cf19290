"""The blueprint `measures`, a child of `quality` (endpoints `quality.measures.*`), and what
its pages share."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import get_locale
from flask_login import current_user

from compliance.quality.measures import services
from compliance.quality.measures.labels import (
    DIRECTION_LABELS,
    FREQUENCY_LABELS,
    PERIOD_EXAMPLES,
    REFUSALS,
    SOURCE_LABELS,
)

bp = Blueprint("measures", __name__, url_prefix="/measures")
LABELS = {"directions": DIRECTION_LABELS, "frequencies": FREQUENCY_LABELS,
          "examples": PERIOD_EXAMPLES, "sources": SOURCE_LABELS, "refusals": REFUSALS}


def locale() -> str:
    """The reader's language."""
    return str(get_locale())


def readable(measure_id: int, for_update: bool = False):
    """The measure, if the signed-in user may read it (403/404 otherwise)."""
    return services.get_readable(current_user, measure_id, for_update=for_update)
