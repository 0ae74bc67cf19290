"""Retention arithmetic on the organisation's calendar: when a revision's retention ends and
when it falls due for disposition (the day after). All dates are the organisation's days
(core.clock.local_date): a revision superseded at 00:30 in Hà Nội on 1 March was superseded
on 1 March, although it was still 28 February in UTC."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from compliance.core.clock import local_date

# The built-in rules, used for a type no coordinator has set yet (the migration stores them).
DEFAULT_RULES: dict[str, tuple[str, int]] = {
    "manual": ("permanent", 0), "policy": ("permanent", 0), "procedure": ("superseded", 5),
    "work_instruction": ("superseded", 5), "form": ("superseded", 5),
    "record": ("created", 10), "external": ("superseded", 3),
}
# The revision states each basis counts: a revision still in force is not superseded, but a
# record is kept from its creation whether or not it is still in force.
COUNTED = {"superseded": ("superseded", "obsolete"),
           "created": ("effective", "superseded", "obsolete")}


@dataclass(frozen=True)
class Rule:
    """A retention rule as applied: its basis, its years, and whether it is the document's own
    (an override) rather than its type's."""

    basis: str
    years: int
    own: bool = False


def add_years(day: date, years: int) -> date:
    """The same day some years later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def stopped_on(revision, document) -> date | None:
    """The day a revision stopped being in force: superseded, or withdrawn with its document
    (documents made obsolete before that day was kept count from their last change)."""
    if revision.superseded_at is not None:
        return local_date(revision.superseded_at)
    if revision.status == "obsolete":
        moment = document.obsolete_at or document.updated_at
        return local_date(moment) if moment is not None else None
    return None


def retained_until(rule: Rule, revision, document) -> date | None:
    """The last day of a revision's retention under a rule (None: permanent, or not yet
    counting); a decision to keep it longer moves the day on."""
    end = None
    if rule.basis in COUNTED and revision.status in COUNTED[rule.basis]:
        if rule.basis == "created":
            end = date(local_date(revision.created_at).year + rule.years, 12, 31)
        elif (start := stopped_on(revision, document)) is not None:
            end = add_years(start, rule.years)
    if end is not None and revision.keep_until is not None:
        end = max(end, revision.keep_until)
    return end


def due_on(rule: Rule, revision, document) -> date | None:
    """The first day the revision may be disposed of (None: never, as things stand)."""
    end = retained_until(rule, revision, document)
    return end + timedelta(days=1) if end is not None else None


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
