"""The heat map: the SVG parsed back (xml.etree, through defusedxml's guards) has, in each
cell, the number of risks rated there (before and after treatment), coloured by its band;
the table beside it says the same; a department's map counts only its own."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml.ElementTree import fromstring

from compliance.quality.risks import heatmap, levels
from compliance.quality.risks.labels import LEVEL_COLOURS
from tests.quality.risks.helpers import make_risk

SVG = "{http://www.w3.org/2000/svg}"


def _svg(page: str, key: str) -> ET.Element:
    match = re.search(rf'<svg [^>]*id="heat-map-{key}".*?</svg>', page, re.S)
    assert match, key
    return fromstring(match.group(0))


def _cells(svg: ET.Element) -> dict[tuple[int, int], int]:
    found = {}
    for cell in svg.iter(f"{SVG}g"):
        if cell.get("class") != "cell":
            continue
        key = (int(cell.get("data-likelihood")), int(cell.get("data-impact")))
        count = int(cell.get("data-count"))
        shown = cell.find(f"{SVG}text").text or "0"
        assert int(shown) == count  # the figure drawn is the count
        found[key] = count
    return found


def test_the_svg_is_accessible_and_coloured_by_band():
    scale = levels.Scale(3, levels.DEFAULT_BANDS[3])
    grid = heatmap.build(scale, {(3, 3): 2, (1, 2): 1})
    svg = fromstring(str(heatmap.svg(
        grid, element_id="m", title="Rủi ro <trước>", description="d", likelihood="Khả năng",
        impact="Tác động", level_names={"low": "Thấp", "medium": "TB", "high": "Cao"},
        colours=LEVEL_COLOURS)))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "m-title m-desc"
    assert svg.find(f"{SVG}title").text == "Rủi ro <trước>"  # escaped, then read back
    assert svg.find(f"{SVG}desc").text == "d"
    assert _cells(svg) == {(lk, im): grid.cell(lk, im).count
                           for lk in range(1, 4) for im in range(1, 4)}
    fills = {(int(g.get("data-likelihood")), int(g.get("data-impact"))):
             g.find(f"{SVG}rect").get("fill") for g in svg.iter(f"{SVG}g")}
    assert fills[(3, 3)] == LEVEL_COLOURS["high"] and fills[(1, 2)] == LEVEL_COLOURS["low"]
    assert [c.likelihood for c in grid.rows()[0]] == [3, 3, 3]  # highest likelihood on top
    assert grid.total == 3 and grid.by_level() == {"low": 1, "medium": 0, "high": 2}


def test_the_pages_maps_count_the_risks_before_and_after_treatment(app, make, login, clock):
    coordinator = make.user(roles=["coordinator"])
    mine, theirs = make.department(), make.department()
    rated = [(mine.id, 4, 5, (2, 2)), (mine.id, 4, 5, None), (mine.id, 1, 1, None),
             (theirs.id, 4, 5, (1, 3))]
    for dept_id, likelihood, impact, residual in rated:
        make_risk(app, dept_id, actor_id=coordinator.id, likelihood=likelihood, impact=impact,
                  residual=residual)
    make_risk(app, mine.id, actor_id=coordinator.id, kind="opportunity", likelihood=5, impact=5)
    client = app.test_client()
    login(client, coordinator.email)

    page = client.get("/risks/heat-map").get_data(as_text=True)
    before, after = _cells(_svg(page, "before")), _cells(_svg(page, "after"))
    assert {k: n for k, n in before.items() if n} == {(4, 5): 3, (1, 1): 1}
    # After treatment a risk not rated again counts where it was rated first.
    assert {k: n for k, n in after.items() if n} == {(2, 2): 1, (4, 5): 1, (1, 1): 1,
                                                     (1, 3): 1}
    table = re.search(r'data-testid="heat-table-before".*?</table>', page, re.S).group(0)
    assert re.search(r'data-likelihood="4" data-impact="5" title="[^"]*">3</td>', table)

    department = client.get(f"/risks/heat-map?department={mine.id}").get_data(as_text=True)
    assert {k: n for k, n in _cells(_svg(department, "before")).items() if n} == \
        {(4, 5): 2, (1, 1): 1}
    chances = client.get(f"/risks/heat-map?kind=opportunity&department={mine.id}")
    assert {k: n for k, n in _cells(_svg(chances.get_data(as_text=True), "before")).items()
            if n} == {(5, 5): 1}

    # A head sees their own department's map, not another's, nor the organisation's.
    head = app.test_client()
    login(head, make.user(departments=[(theirs.id, "department_head")]).email)
    own = head.get("/risks/heat-map").get_data(as_text=True)
    assert {k: n for k, n in _cells(_svg(own, "before")).items() if n} == {(4, 5): 1}
    assert head.get(f"/risks/heat-map?department={mine.id}").status_code == 403
