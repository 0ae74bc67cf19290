"""Measures against target over time, on the monitoring page and in the six-monthly report:
one chart per measure in scope whose points equal the values recorded (a gap where none is),
with the target line; past MEASURE_CHARTS measures, only those that missed are charted."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from compliance.dashboard import monitoring
from tests.dashboard.test_monitoring import _charts
from tests.quality.measures.helpers import cast, measure, record

VALUES = {"2026-01": 100.0, "2026-02": 92.5, "2026-04": 98.0}   # March not recorded


@pytest.fixture
def world(app, make, clock):
    """The cast's process with two measures, one missing its target (95) twice, the other
    meeting it; and a measure of another department the head does not see."""
    people = cast(make)
    missing = measure(app, people, code="KPI-TP-01")
    meeting = measure(app, people, code="KPI-TP-02", target=10, direction="lower")
    elsewhere = make.process(people.other.id, code="TTHC-VP-01")
    other = measure(app, people, code="KPI-VP-01", process_id=elsewhere.id)
    for period, value in VALUES.items():
        record(app, people.recorder.id, missing, period, value=value)
    record(app, people.recorder.id, meeting, "2026-01", value=4)
    record(app, people.coordinator.id, other, "2026-05", value=50)
    return SimpleNamespace(people=people, ids=(missing, meeting, other))


def _marks(chart: dict) -> dict[str, str]:
    return {period: value for (series, period), value in chart.items() if series == "value"}


def test_the_monitoring_page_charts_each_measure_against_its_target(app, client, login,
                                                                    world):
    missing, meeting, other = world.ids
    login(client, world.people.coordinator.email)
    html = client.get("/monitoring").get_data(as_text=True)
    charts = _charts(html)
    # A mark per value recorded, none for March (not recorded) or June (still running).
    assert {p: float(v) for p, v in _marks(charts[f"measure-{missing}"]).items()} == VALUES
    assert float(_marks(charts[f"measure-{meeting}"])["2026-01"]) == 4
    assert float(_marks(charts[f"measure-{other}"])["2026-05"]) == 50
    assert "Every measure in scope (3)." in html
    assert "KPI-TP-01: Dossiers settled on time" in html or "KPI-TP-01: Tỷ lệ" in html

    head = app.test_client()
    login(head, world.people.head.email)
    charts = _charts(head.get("/monitoring").get_data(as_text=True))
    assert {k for k in charts if k and k.startswith("measure-")} == {
        f"measure-{missing}", f"measure-{meeting}"}


def test_past_the_limit_only_the_measures_that_missed_are_charted(client, login, world,
                                                                  monkeypatch):
    monkeypatch.setattr(monitoring, "MEASURE_CHARTS", 1)
    login(client, world.people.coordinator.email)
    html = client.get("/monitoring?lang=en").get_data(as_text=True)
    charted = {k for k in _charts(html) if k and k.startswith("measure-")}
    assert charted == {f"measure-{world.ids[0]}"}
    assert "1 of the 3 measures in scope" in html


def test_the_six_monthly_report_charts_the_measures_of_its_period(client, login, world):
    login(client, world.people.head.email)
    page = client.get(f"/reports/six-monthly/department/{world.people.dept.id}"
                      "?period=2026-H1&lang=en").get_data(as_text=True)
    assert "Measures against target" in page
    charts = _charts(page)
    marks = _marks(charts[f"measure-{world.ids[0]}"])
    assert {p: float(v) for p, v in marks.items() if v} == VALUES
    assert f"measure-{world.ids[2]}" not in charts
