"""The heat maps of a page: before and after treatment, each as its grid (for the table
beside it) and its SVG, with the titles in the page's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from compliance.quality.risks import heatmap, levels, queries
from compliance.quality.risks.labels import (
    LEVEL_COLOURS,
    LEVEL_LABELS,
    NO_LEVEL_COLOUR,
    axis_labels,
)


@dataclass(frozen=True)
class Map:
    """One heat map as a page shows it."""

    key: str
    title: str
    grid: heatmap.HeatMap
    svg: Markup


def draw(grid: heatmap.HeatMap, *, key: str, title: str) -> Markup:
    """The grid as an SVG with translated axis, level names and description."""
    axis = axis_labels()
    by_level = grid.by_level()
    spread = ", ".join(f"{LEVEL_LABELS[level]}: {by_level.get(level, 0)}"
                       for level in LEVEL_LABELS if level in by_level)
    description = _("%(count)d counted on a %(size)d×%(size)d grid of likelihood (rows, "
                    "highest at the top) by impact (columns). %(spread)s.", count=grid.total,
                    size=grid.size, spread=spread or "—")
    return heatmap.svg(grid, element_id=f"heat-map-{key}", title=title,
                       description=description, likelihood=axis["likelihood"],
                       impact=axis["impact"],
                       level_names={k: str(v) for k, v in LEVEL_LABELS.items()},
                       colours=LEVEL_COLOURS, no_level_colour=NO_LEVEL_COLOUR)


def maps_for(scale: levels.Scale, department_id: int | None, kind: str,
             departments: list[tuple[int, str]]) -> list[Map]:
    """Before and after treatment, for the department (or the organisation)."""
    where = dict(departments).get(department_id, _("the organisation")) \
        if department_id is not None else _("the organisation")
    if kind == "opportunity":
        titles = (_("Opportunities before treatment: %(where)s", where=where),
                  _("Opportunities after treatment: %(where)s", where=where))
    else:
        titles = (_("Risks before treatment: %(where)s", where=where),
                  _("Risks after treatment: %(where)s", where=where))
    found = []
    for key, after, title in (("before", False, titles[0]), ("after", True, titles[1])):
        grid = queries.heat_map(scale, department_id=department_id, after=after, kind=kind)
        found.append(Map(key, title, grid, draw(grid, key=key, title=title)))
    return found
