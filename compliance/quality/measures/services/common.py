"""What every measure service needs: loading through the rule book, version checks, and the
checks a value must pass whether it is typed in a form or read from a CSV row."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from compliance.core.db import check_version as core_check_version
from compliance.core.db import get_child
from compliance.core.errors import NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.quality.measures import periods, rules
from compliance.quality.measures.models import Measure, MeasureValue


class Refusal(Exception):
    """A value that cannot be recorded; `code` is a key of labels.REFUSALS, `field` the
    input it concerns."""

    def __init__(self, code: str, field: str):
        super().__init__(code)
        self.code, self.field = code, field


@dataclass(frozen=True)
class Reading:
    """A value checked and computed, ready to be written."""

    period: periods.Period
    value: float | None
    received: int | None
    on_time: int | None
    late: int | None

    def key(self) -> tuple:
        """What identifies the reading's content (for the import's digest)."""
        return (self.period.code, self.value, self.received, self.on_time, self.late)


def check_version(measure: Measure, expected: int | None) -> None:
    """Refuse (409) a form filled in on another version of the measure, or naming none."""
    core_check_version(measure, expected, _("Someone else changed this measure while you "
                                            "were editing it. Reload the page and apply your "
                                            "change again."))


def get(measure_id: int, for_update: bool = False) -> Measure:
    """Load a measure or raise NotFound."""
    lock = {"of": Measure} if for_update else None
    measure = db.session.get(Measure, measure_id, with_for_update=lock)
    if measure is None:
        raise NotFound(_("No such measure."))
    return measure


def get_readable(user, measure_id: int, *, for_update: bool = False) -> Measure:
    """A measure the user may read; 403 otherwise (404 only for those who read all)."""
    try:
        measure = get(measure_id, for_update=for_update)
    except NotFound:
        # Those who read only some measures learn nothing from a missing one.
        if not rules.may_read_all(user):
            raise PermissionDenied(_("You may not open this measure.")) from None
        raise
    rules.ensure_read(user, measure)
    return measure


def get_value(measure: Measure, value_id: int) -> MeasureValue:
    """A value of this measure, or NotFound."""
    return get_child(db.session, MeasureValue, value_id, _("No such value."),
                     measure_id=measure.id)


def number(text) -> float | None:
    """A decimal number as typed ("98.5", "98,5"); None when empty; ValueError otherwise."""
    if text is None:
        return None
    if isinstance(text, int | float):
        result = float(text)
    else:
        raw = str(text).strip().replace(" ", "")
        if not raw:
            return None
        if "," in raw and "." not in raw and raw.count(",") == 1:
            raw = raw.replace(",", ".")  # the Vietnamese decimal comma
        result = float(raw)
    if not math.isfinite(result):
        raise ValueError(text)
    return result


MAX_COUNT = 1_000_000_000  # dossiers in one period: far above any office, within 32 bits


def count(text) -> int | None:
    """A whole number of dossiers, not negative; None when empty; ValueError otherwise."""
    value = number(text)
    if value is None:
        return None
    if value < 0 or value > MAX_COUNT or value != int(value):
        raise ValueError(text)
    return int(value)


def check_period(measure: Measure, text: str, today: date) -> periods.Period:
    """The period named, if it fits the measure: its frequency, from its first period to the
    one running today."""
    try:
        period = periods.parse(text)
    except ValueError:
        raise Refusal("bad_period", "period") from None
    if period.frequency != measure.frequency:
        raise Refusal("wrong_frequency", "period")
    if period.start < measure.starts_on or period.start > today:
        raise Refusal("out_of_range", "period")
    return period


def reading(measure: Measure, period: periods.Period, *, value=None, received=None,
            on_time=None, late=None) -> Reading:
    """The value to record: as given, or for a ratio measure on time / received × 100
    (None when nothing was received)."""
    if not measure.ratio:
        try:
            amount = number(value)
        except (TypeError, ValueError):
            raise Refusal("not_a_number", "value") from None
        if amount is None:
            raise Refusal("missing_value", "value")
        return Reading(period, amount, None, None, None)
    try:
        got, settled, overdue = count(received), count(on_time), count(late)
    except (TypeError, ValueError):
        raise Refusal("counts", "received") from None
    if got is None or settled is None or settled > got \
            or (overdue is not None and settled + overdue > got):
        raise Refusal("counts", "received")
    ratio = round(settled * 100 / got, 2) if got else None
    return Reading(period, ratio, got, settled, overdue)
