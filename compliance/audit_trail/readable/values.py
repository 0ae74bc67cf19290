"""A recorded value as a reader reads it: labels for codes, names for ids, days and moments
in the reader's way of writing them, numbers with the reader's decimal mark."""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _

from compliance.audit_trail.readable.fields import (
    DEPARTMENTS,
    GRADES,
    PEOPLE,
    PROCESSES,
    values_of,
)
from compliance.core.locale import format_day, format_moment

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
# Free text longer than this is cut in a change line (the record's page has it whole).
LONGEST = 300
EMPTY = "—"
# Numbers written as they are, never grouped ("2026", not "2.026").
PLAIN_NUMBERS = frozenset({"year", "number", "item", "position", "round"})


def show(entity_type: str, key: str, value, lookups, *, longest: int = LONGEST) -> str:
    """The value of a field of a kind of record, in the reader's words."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(show(entity_type, key, item, lookups) for item in value)
    if isinstance(value, dict):
        return "…"  # a nested structure: its sentence says what matters about it
    named = _named(key, value, lookups)
    if named is not None:
        return named
    labels = values_of(entity_type, key)
    if labels is not None and value in labels:
        return str(labels[value])
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return str(value) if key in PLAIN_NUMBERS else number(value)
    return _text(str(value), longest)


def _named(key: str, value, lookups) -> str | None:
    if key in PEOPLE:
        return lookups.person(value)
    if key in DEPARTMENTS:
        return lookups.department(value)
    if key in PROCESSES:
        return lookups.process(value)
    if key in GRADES:
        return lookups.grade(value)
    return None


def number(value: int | float) -> str:
    """A number with the reader's decimal mark and grouping ("1.234,5" in Vietnamese)."""
    return format_decimal(value, format="#,##0.##", locale=str(get_locale() or "vi"))


def _text(text: str, longest: int) -> str:
    if DAY.match(text):
        try:
            return format_day(date.fromisoformat(text))
        except ValueError:
            return text
    if MOMENT.match(text):
        try:
            return format_moment(datetime.fromisoformat(text))
        except ValueError:
            return text
    return text if len(text) <= longest else text[:longest].rstrip() + "…"
