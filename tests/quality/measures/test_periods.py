"""Periods as the CSV and the forms write them: pure date arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.quality.measures import periods


@pytest.mark.parametrize(("code", "frequency", "start", "end"), [
    ("2026-03", "monthly", date(2026, 3, 1), date(2026, 3, 31)),
    ("2024-02", "monthly", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-Q4", "quarterly", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-h1", "half_yearly", date(2026, 1, 1), date(2026, 6, 30)),
    (" 2026 ", "yearly", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_a_code_names_its_period(code, frequency, start, end):
    period = periods.parse(code)
    assert (period.frequency, period.start, period.end) == (frequency, start, end)


@pytest.mark.parametrize("code", ["2026-13", "2026-00", "2026-Q5", "2026-H3", "26-03",
                                  "03/2026", "1999", "", "2026-3"])
def test_anything_else_is_no_period(code):
    with pytest.raises(ValueError):
        periods.parse(code)


def test_periods_follow_one_another_across_years():
    assert periods.parse("2026-12").next().code == "2027-01"
    assert periods.parse("2026-Q1").previous().code == "2025-Q4"
    assert periods.last_ended("half_yearly", date(2026, 6, 15)).code == "2025-H2"
    assert periods.last_ended("monthly", date(2026, 7, 1)).code == "2026-06"
    assert [p.code for p in periods.between("quarterly", date(2025, 11, 5),
                                            date(2026, 4, 1))] == \
        ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert len(periods.of_year("monthly", 2026)) == 12
