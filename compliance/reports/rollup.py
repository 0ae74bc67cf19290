"""The roll-up: the organisation's six-monthly report read by someone who oversees the
organisations below it (a district's coordinator, its communes) shows each one's figures
as a section of its own, computed as that organisation's own report would be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.core import tenancy
from compliance.installation import oversight, tree
from compliance.org.models import Organisation
from compliance.reports import queries


@dataclass
class Section:
    """One organisation below, with its whole-organisation report of the same half-year."""

    organisation: Organisation
    report: queries.SixMonthly


def below(user, report: queries.SixMonthly, today: date | None = None) -> list[Section]:
    """The sections of the organisations below the reader's, for the organisation's report
    only; none for a reader without oversight."""
    if report.department is not None:
        return []
    ids = oversight.overseen_ids(user) - {user.organisation_id}
    sections = []
    for organisation, _depth in tree.ordered():
        if organisation.id in ids:
            # Each one's report reads its own rows only: the scope is that organisation's.
            with tenancy.acting_for(organisation.id):
                sections.append(Section(organisation,
                                        queries.six_monthly(report.period, None, today)))
    return sections
