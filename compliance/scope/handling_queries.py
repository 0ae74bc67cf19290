"""Reads of the on-time handling of procedures: totals per procedure and per department over
the last twelve months, for the page and the public register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from compliance.core.extensions import db
from compliance.quality.measures import periods
from compliance.scope.models import HandlingMonth, ScopeEntry

MONTHS_SHOWN = 12


@dataclass
class Totals:
    """Dossiers of a procedure (or a department) over the months counted."""

    received: int = 0
    on_time: int = 0
    late: int = 0
    apologies: int = 0

    @property
    def rate(self) -> float | None:
        """Settled on time / received × 100, as the ratio measures count it (None: nothing
        received)."""
        return round(self.on_time * 100 / self.received, 1) if self.received else None

    def add(self, other: Totals) -> None:
        """Add another's counts to these."""
        self.received += other.received
        self.on_time += other.on_time
        self.late += other.late
        self.apologies += other.apologies


def window(today: date) -> list[str]:
    """The twelve months up to and including today's."""
    last = periods.containing("monthly", today)
    first = last
    for _step in range(MONTHS_SHOWN - 1):
        first = first.previous()
    return [p.code for p in periods.between("monthly", first.start, last.end)]


def by_procedure(today: date, organisation_id: int | None = None) -> dict[int, Totals]:
    """Each procedure's totals over the last twelve months (an organisation named: its own,
    for readers who act for none)."""
    query = (select(HandlingMonth.entry_id, func.sum(HandlingMonth.received),
                    func.sum(HandlingMonth.on_time), func.sum(HandlingMonth.late),
                    func.sum(HandlingMonth.apologies))
             .where(HandlingMonth.month.in_(window(today)))
             .group_by(HandlingMonth.entry_id))
    if organisation_id is not None:
        query = query.where(HandlingMonth.organisation_id == organisation_id)
    return {row[0]: Totals(*(int(n or 0) for n in row[1:])) for row in db.session.execute(query)}


def of_year(year: int) -> dict[int, Totals]:
    """Each procedure's totals over the months of a calendar year (the annual report's)."""
    query = (select(HandlingMonth.entry_id, func.sum(HandlingMonth.received),
                    func.sum(HandlingMonth.on_time), func.sum(HandlingMonth.late),
                    func.sum(HandlingMonth.apologies))
             .where(HandlingMonth.month.between(f"{year:04d}-01", f"{year:04d}-12"))
             .group_by(HandlingMonth.entry_id))
    return {row[0]: Totals(*(int(n or 0) for n in row[1:])) for row in db.session.execute(query)}


def by_department(entries: list[ScopeEntry], totals: dict[int, Totals]) -> list[tuple]:
    """(department or None, totals) for each department handling procedures, by name."""
    grouped: dict = {}
    for entry in entries:
        if entry.id in totals:
            grouped.setdefault(entry.department, Totals()).add(totals[entry.id])
    return sorted(grouped.items(), key=lambda item: item[0].code if item[0] else "")


def months_of(entry_id: int) -> list[HandlingMonth]:
    """Every month imported for a procedure, the newest first."""
    return list(db.session.scalars(select(HandlingMonth).where(
        HandlingMonth.entry_id == entry_id).order_by(HandlingMonth.month.desc())))
