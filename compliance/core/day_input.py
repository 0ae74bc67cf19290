"""Days typed by hand: dd/mm/yyyy in both languages (issue 16, item 6).

A browser's own date control follows the browser's language, not the page's: Chromium on a
phone set to English shows mm/dd/yyyy, which a Vietnamese office reads day first. So date
inputs are text inputs with the numeric keyboard, a pattern the browser checks, and a
visible hint, and this module reads what is typed: 31/12/2026, 31.12.2026, 31-12-2026,
31122026, or the ISO form 2026-12-31 (links, programs and the tests send that). English
pages write the day first too ("31 Dec 2026"), so the same order serves both.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms.widgets import TextInput

_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# What the browser accepts before sending (the HTML pattern is anchored and compiled with
# the `v` flag, where "/" and "-" in a class must be escaped).
PATTERN = r"[0-9]{1,2}[\/.\-][0-9]{1,2}[\/.\-][0-9]{4}|[0-9]{8}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
HINT = _l("Day/month/year, e.g. 31/12/2026")
PLACEHOLDER = _l("dd/mm/yyyy")


def parse_day(text: str | None) -> date | None:
    """The day written in `text` (None when it is empty); ValueError when it is not a day."""
    text = (text or "").strip()
    if not text:
        return None
    iso = _ISO.fullmatch(text)
    if iso:
        year, month, day = iso.groups()
    else:
        found = _DAY_FIRST.fullmatch(text) or _DIGITS.fullmatch(text)
        if found is None:
            raise ValueError(text)
        day, month, year = found.groups()
    return date(int(year), int(month), int(day))


def write_day(value: date | None) -> str:
    """A day as a date input shows it: 05/01/2026."""
    return value.strftime("%d/%m/%Y") if value else ""


def input_attributes() -> dict[str, str]:
    """The attributes of a date input: text, numeric keyboard, the pattern, the placeholder."""
    return {"type": "text", "inputmode": "numeric", "pattern": PATTERN, "maxlength": "10",
            "autocomplete": "off", "placeholder": str(PLACEHOLDER)}


class DayInput(TextInput):
    """A WTForms widget for a date field: the attributes above."""

    def __call__(self, field, **kwargs):
        """The <input>, with what the call gives winning."""
        for name, value in input_attributes().items():
            if name != "type":
                kwargs.setdefault(name, value)
        return super().__call__(field, **kwargs)
