"""The SVG charts: parsed back (through defusedxml's guards), each bar and point carries the
figure of the data, its <title> says it, labels are escaped, and the table lists the same."""

from __future__ import annotations

import pytest
from defusedxml.ElementTree import fromstring

from compliance.core import charts
from compliance.dashboard import figures

NS = {"s": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>alert(1)</script> & "Phòng"'


def _marks(markup):
    root = fromstring(str(markup))
    return root, root.findall(".//s:g[@class='mark']", NS)


def test_grouped_bars_equal_the_data_and_say_it():
    chart = charts.bar("objectives", "Objectives", "Per department", ["Tư pháp", HOSTILE],
                       [charts.Series("open", "Open", (3, 0)),
                        charts.Series("achieved", "Achieved", (1, 7))])
    root, marks = _marks(charts.svg(chart))
    assert root.get("role") == "img"
    assert root.find("s:title", NS).text == "Objectives"
    assert root.find("s:desc", NS).text == "Per department"
    found = {(m.get("data-series"), m.get("data-category")): m for m in marks}
    assert {k: v.get("data-value") for k, v in found.items()} == {
        ("open", "0"): "3", ("achieved", "0"): "1", ("open", "1"): "0", ("achieved", "1"): "7"}
    assert found[("achieved", "1")].find("s:title", NS).text == f"{HOSTILE} · Achieved: 7"
    # Heights are proportional: 7 is seven times 1, in the same group of bars.
    heights = {k: float(v.find("s:rect", NS).get("height")) for k, v in found.items()}
    assert heights[("achieved", "1")] == pytest.approx(7 * heights[("achieved", "0")])
    # The figure is printed, not only on hover.
    assert found[("open", "0")].find("s:text", NS).text == "3"
    assert "<script>" not in str(charts.svg(chart))


def test_stacked_bars_sit_on_each_other():
    chart = charts.bar("ages", "Ageing", "", ["A"], [charts.Series("a", "0–30", (2,)),
                                                    charts.Series("b", "31–60", (3,))],
                       stacked=True)
    _root, marks = _marks(charts.svg(chart))
    low, high = (m.find("s:rect", NS) for m in marks)
    assert float(high.get("y")) + float(high.get("height")) == pytest.approx(float(low.get("y")))
    assert float(high.get("height")) == pytest.approx(1.5 * float(low.get("height")))


def test_a_measure_against_its_target_is_one_call():
    chart = charts.line("measure", "On time", "Monthly", ["01", "02", "03"],
                        [charts.Series("value", "Settled on time", (97.5, None, 100))],
                        target=98, target_label="Target", unit="%")
    root, marks = _marks(charts.svg(chart))
    assert [(m.get("data-category"), m.get("data-value")) for m in marks] == [
        ("0", "97.5"), ("2", "100")]
    assert marks[0].find("s:title", NS).text == "01 · Settled on time: 97.5%"
    target = root.find(".//s:g[@class='target']", NS)
    assert target.get("data-value") == "98"
    assert target.find("s:title", NS).text == "Target: 98%"
    # Above the target is higher on the page than the target line.
    y_target = float(target.find("s:line", NS).get("y1"))
    assert float(marks[1].find("s:circle", NS).get("cy")) < y_target
    assert float(marks[0].find("s:circle", NS).get("cy")) > y_target


def test_the_table_lists_the_same_numbers_escaped():
    chart = charts.bar("t", "T", "", [HOSTILE], [charts.Series("x", "X", (4,))])
    markup = str(charts.figure(chart, numbers="The numbers", corner="Department"))
    assert "<script>" not in markup
    root = fromstring(markup)
    assert root.find(".//details/summary").text == "The numbers"
    row = root.find(".//table/tbody/tr")
    assert row.find("th").text == HOSTILE
    assert row.find("td").text == "4"
    assert root.find(".//figcaption").text == "T"


def test_an_empty_chart_says_so_and_a_wrong_length_is_refused():
    chart = charts.bar("e", "E", "", ["A"], [charts.Series("x", "X", (0,))])
    assert "Nothing yet" in str(charts.figure(chart, numbers="n", empty="Nothing yet"))
    with pytest.raises(ValueError):
        charts.bar("e", "E", "", ["A", "B"], [charts.Series("x", "X", (1,))])


@pytest.mark.parametrize(("peak", "top"),
                         [(0, 1), (3, 5), (7, 10), (98, 100), (120, 200), (260, 500)])
def test_the_axis_top_is_a_round_number(peak, top):
    assert charts._nice(peak) == top


def test_counts_get_whole_ticks():
    chart = charts.bar("c", "C", "", ["A"], [charts.Series("x", "X", (1,))])
    root = fromstring(str(charts.svg(chart)))
    ticks = [t.text for t in root.findall("s:text", NS)]
    assert ticks[:6] == ["0", "1", "2", "3", "4", "5"]


def test_a_measure_figure_is_one_call(app):
    with app.test_request_context():
        figure = figures.over_time("measure-7", "Settled on time", ["01/2026", "02/2026"],
                                   [96.0, 99.5], target=98, unit="%")
    _root, marks = _marks(charts.svg(figure.chart))
    assert [m.get("data-value") for m in marks] == ["96", "99.5"]
    assert 'data-chart="measure-7"' in str(figure.markup)
