"""The reads the dashboard, the charts and the PDFs will use: data equal to what was
recorded, every period listed, misses per department and year, per-process totals."""

from __future__ import annotations

from datetime import date

from compliance.quality.measures import queries
from tests.quality.measures.helpers import cast, measure, record


def test_series_missed_and_summaries_follow_the_values(app, make, clock):
    people = cast(make)
    on_time = measure(app, people, code="KPI-TP-01")
    complaints = measure(app, people, code="KPI-VP-02", direction="lower", target=2,
                         frequency="quarterly", first_period="2026-Q1",
                         process_id=make.process(people.other.id, code="P-VP").id)
    for period, value in (("2026-01", "97"), ("2026-02", "93"), ("2026-04", "99")):
        record(app, people.recorder.id, on_time, period, value=value)
    record(app, people.coordinator.id, complaints, "2026-Q1", value="3")
    with app.app_context():
        series = queries.series(on_time, date(2026, 1, 1), date(2026, 5, 31))
        assert [(p.period, p.value, p.target, p.missed, p.recorded) for p in series.points] == [
            ("2026-01", 97.0, 95.0, False, True), ("2026-02", 93.0, 95.0, True, True),
            ("2026-03", None, 95.0, False, False), ("2026-04", 99.0, 95.0, False, True),
            ("2026-05", None, 95.0, False, False)]
        assert (series.code, series.unit, series.direction) == ("KPI-TP-01", "%", "higher")

        everywhere = queries.missed(None, 2026)
        assert [(m.code, m.period, m.value, m.target) for m in everywhere] == [
            ("KPI-TP-01", "2026-02", 93.0, 95.0), ("KPI-VP-02", "2026-Q1", 3.0, 2.0)]
        assert [m.code for m in queries.missed(people.other.id, 2026)] == ["KPI-VP-02"]
        assert queries.missed(None, 2025) == []

        summaries = {s.code: (s.measures, s.recorded, s.met, s.missed)
                     for s in queries.process_summaries(None, 2026)}
        assert summaries == {"TTHC-TP-01": (1, 3, 2, 1), "P-VP": (1, 1, 0, 1)}
        assert [s.code for s in queries.process_summaries(people.dept.id, 2026)] == \
            ["TTHC-TP-01"]
