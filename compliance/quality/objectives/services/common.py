"""What every objective and context service needs: loading through the rule book, the state
and version checks, and free text, numbers and dates as the domain keeps them."""

from __future__ import annotations

import math
from datetime import date

from flask_babel import gettext as _

from compliance.core.db import check_version as core_check_version
from compliance.core.db import get_child
from compliance.core.errors import DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.quality.objectives import rules
from compliance.quality.objectives.models import Objective, PlanItem

TEXT_LIMIT = 5000
SHORT_LIMIT = 2000
# Targets and values are percentages, counts, days: nothing legitimate comes near this.
VALUE_LIMIT = 1e12
# The years an objective may be set for, around today's.
YEARS_BACK, YEARS_AHEAD = 10, 5


def clean(value: str | None, *, field: str, limit: int = TEXT_LIMIT,
          missing: str | None = None) -> str:
    """The text trimmed; refused at `field` when `missing` is given and it is empty, or when
    it is too long."""
    # The request edge refuses NUL already (core); a service called from the CLI may not.
    text = (value or "").replace("\x00", "").strip()
    if missing is not None and not text:
        raise DomainError(missing, field=field)
    if len(text) > limit:
        raise DomainError(_("Keep this under %(most)d characters.", most=limit), field=field)
    return text


def number(value: float | None, *, field: str, missing: str | None = None) -> float | None:
    """A finite number of a sensible size, or None (refused at `field` when `missing`)."""
    if value is None:
        if missing is not None:
            raise DomainError(missing, field=field)
        return None
    if not math.isfinite(value) or abs(value) > VALUE_LIMIT:
        raise DomainError(_("Give an ordinary number."), field=field)
    return float(value)


def check_year(year: int | None, today: date, field: str = "year") -> int:
    """A year an objective may be set for: from ten years back to five ahead."""
    if year is None or not (today.year - YEARS_BACK <= year <= today.year + YEARS_AHEAD):
        raise DomainError(_("Give a year from %(first)d to %(last)d.",
                            first=today.year - YEARS_BACK, last=today.year + YEARS_AHEAD),
                          field=field)
    return year


def require_open(objective: Objective) -> None:
    """Refuse (409) once the objective has its year-end evaluation."""
    if objective.result is not None:
        raise DomainError(_("This objective is evaluated: it no longer changes. Only its "
                            "evaluation may be corrected."), status=409)


def check_version(row, expected: int | None) -> None:
    """Refuse (409) an edit made on another version of the record, or that names none."""
    core_check_version(row, expected, _("Someone else changed this record while you were "
                                        "editing it. Reload the page and apply your change "
                                        "again."))


def get(objective_id: int, for_update: bool = False) -> Objective:
    """Load an objective or raise NotFound."""
    lock = {"of": Objective} if for_update else None
    objective = db.session.get(Objective, objective_id, with_for_update=lock)
    if objective is None:
        raise NotFound(_("No such objective."))
    return objective


def get_readable(user, objective_id: int, *, for_update: bool = False) -> Objective:
    """An objective the user may read; 403 otherwise (404 only for those who read all)."""
    try:
        objective = get(objective_id, for_update=for_update)
    except NotFound:
        # Those who read only some objectives learn nothing from a missing one.
        if not rules.may_read_all(user):
            raise PermissionDenied(_("You may not open this objective.")) from None
        raise
    rules.ensure_read(user, objective)
    return objective


def get_item(objective: Objective, item_id: int) -> PlanItem:
    """A plan item of this objective, or NotFound."""
    return get_child(db.session, PlanItem, item_id, _("No such plan item."),
                     objective_id=objective.id)
