"""Reporting periods: the district reports by half-year (H1 January–June, H2 July–December)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from compliance.core.errors import DomainError

_HALF = re.compile(r"^(\d{4})-H([12])$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    """A span of calendar days, both ends included."""

    start: date
    end: date

    @property
    def as_of(self) -> date:
        """The morning after the last day: 'at period end' means as things stood then."""
        return self.end + timedelta(days=1)

    def bounds_utc(self, timezone: str) -> tuple[datetime, datetime]:
        """[start, as_of) as UTC instants, for comparing stored timestamps."""
        zone = ZoneInfo(timezone)
        return (datetime.combine(self.start, time(), zone), datetime.combine(self.as_of, time(),
                                                                            zone))

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches."""
        found, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


@dataclass(frozen=True)
class HalfYear(Period):
    """H1 or H2 of a year."""

    year: int = 0
    half: int = 1

    @property
    def code(self) -> str:
        """e.g. 2026-H1."""
        return f"{self.year}-H{self.half}"

    @property
    def title(self) -> str:
        """As an office writes it: "6 tháng đầu năm 2026" (never "1/2026", read as January)."""
        if self.half == 1:
            return _("First half of %(year)s", year=self.year)
        return _("Second half of %(year)s", year=self.year)


def half_year(year: int, half: int) -> HalfYear:
    """The half-year H1 (Jan–Jun) or H2 (Jul–Dec) of a year."""
    if half == 1:
        return HalfYear(date(year, 1, 1), date(year, 6, 30), year, 1)
    return HalfYear(date(year, 7, 1), date(year, 12, 31), year, 2)


def parse_half_year(code: str | None, today: date) -> HalfYear:
    """'2026-H1' → that half-year; empty → the current one (as it stands so far); else 400.

    The current half-year, not the last one ended: a coordinator opens the report to follow
    the half-year under way, and in its first weeks the one before is a click away."""
    if not code:
        return current_half_year(today)
    match = _HALF.match(code.strip())
    if not match or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise DomainError(_("Unknown half-year %(code)s: write it as 2026-H1 or 2026-H2.",
                            code=code[:20]), field="period")
    return half_year(int(match[1]), int(match[2]))


def current_half_year(today: date) -> HalfYear:
    """The half-year today falls in."""
    return half_year(today.year, 1 if today.month <= 6 else 2)


def previous_half_year(today: date) -> HalfYear:
    """The most recent half-year that has ended by today."""
    return half_year(today.year - 1, 2) if today.month <= 6 else half_year(today.year, 1)


def recent_half_years(today: date, count: int = 6) -> list[HalfYear]:
    """The current half-year and the ones before it, newest first."""
    year, half = today.year, 1 if today.month <= 6 else 2
    found = []
    for _i in range(count):
        found.append(half_year(year, half))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return found


def parse_period(start: date | None, end: date | None) -> Period:
    """A period given by its first and last day; the end must not come before the start."""
    if start is None or end is None:
        raise DomainError(_("Give the first and the last day of the period."),
                          field="period_start" if start is None else "period_end")
    if end < start:
        raise DomainError(_("The period must not end before it starts."), field="period_end")
    if (end - start).days > 3 * 366:
        raise DomainError(_("A period may cover at most three years."), field="period_end")
    return Period(start, end)
