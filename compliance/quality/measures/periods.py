"""Reporting periods of a measure: a month (2026-03), a quarter (2026-Q1), a half-year
(2026-H1) or a year (2026). Pure calculations on dates; no database."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

FREQUENCIES = ("monthly", "quarterly", "half_yearly", "yearly")
# Months in one period of each frequency.
MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), "monthly"),
    (re.compile(r"^(\d{4})-Q(\d)$"), "quarterly"),
    (re.compile(r"^(\d{4})-H(\d)$"), "half_yearly"),
    (re.compile(r"^(\d{4})$"), "yearly"),
)
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, order=True)
class Period:
    """One period: its first and last day, its code, and the frequency it belongs to."""

    start: date
    end: date
    code: str
    frequency: str

    @property
    def year(self) -> int:
        """The calendar year the period lies in."""
        return self.start.year

    def next(self) -> Period:
        """The period after this one."""
        return containing(self.frequency, _add_months(self.start, MONTHS[self.frequency]))

    def previous(self) -> Period:
        """The period before this one."""
        return containing(self.frequency, _add_months(self.start, -MONTHS[self.frequency]))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _code(frequency: str, year: int, index: int) -> str:
    return {"monthly": f"{year}-{index:02d}", "quarterly": f"{year}-Q{index}",
            "half_yearly": f"{year}-H{index}", "yearly": f"{year}"}[frequency]


def _make(frequency: str, year: int, index: int) -> Period:
    months = MONTHS[frequency]
    first_month = (index - 1) * months + 1
    last_month = first_month + months - 1
    return Period(date(year, first_month, 1),
                  date(year, last_month, calendar.monthrange(year, last_month)[1]),
                  _code(frequency, year, index), frequency)


@lru_cache(maxsize=4096)
def parse(text: str) -> Period:
    """The period a code names ("2026-03", "2026-Q1", "2026-H1", "2026"); ValueError if none.
    Kept once per code: an import of 10,000 rows names a few dozen periods."""
    code = (text or "").strip().upper()
    for pattern, frequency in _PATTERNS:
        match = pattern.match(code)
        if not match:
            continue
        year = int(match.group(1))
        index = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1
        if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= index <= 12 // MONTHS[frequency]:
            break
        return _make(frequency, year, index)
    raise ValueError(text)


def containing(frequency: str, day: date) -> Period:
    """The period of this frequency that holds the day."""
    return _make(frequency, day.year, (day.month - 1) // MONTHS[frequency] + 1)


def last_ended(frequency: str, today: date) -> Period:
    """The latest period of this frequency that is over before today."""
    return containing(frequency, today).previous()


def between(frequency: str, first: date, last: date) -> list[Period]:
    """The periods of this frequency from the one holding `first` to the one holding `last`."""
    found: list[Period] = []
    if last < first:
        return found
    period = containing(frequency, first)
    while period.start <= last:
        found.append(period)
        period = period.next()
    return found


def of_year(frequency: str, year: int) -> list[Period]:
    """Every period of this frequency in a calendar year."""
    return between(frequency, date(year, 1, 1), date(year, 12, 31))
