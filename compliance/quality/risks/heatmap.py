"""The heat map: a likelihood × impact grid with the number of risks in each cell, coloured
by the level band the cell's score falls in. Pure (no database, no Flask): give it the scale
and the counts, and it returns the grid as data and as an inline SVG that pages, the
dashboard and WeasyPrint's PDFs all draw alike. Text comes in from the caller, translated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from compliance.quality.risks.levels import Scale

CELL, LEFT, TOP, BOTTOM, RIGHT = 48, 60, 8, 48, 8


@dataclass(frozen=True)
class Cell:
    """One square of the grid: its ratings, score, level and how many risks sit in it."""

    likelihood: int
    impact: int
    score: int
    level: str | None
    count: int


@dataclass(frozen=True)
class HeatMap:
    """The grid of one scale with its counts."""

    size: int
    cells: tuple[Cell, ...]

    def cell(self, likelihood: int, impact: int) -> Cell:
        """The cell at these ratings."""
        return self.cells[(likelihood - 1) * self.size + (impact - 1)]

    def rows(self) -> list[list[Cell]]:
        """The grid as drawn: highest likelihood first, impact rising left to right."""
        return [[self.cell(likelihood, impact) for impact in range(1, self.size + 1)]
                for likelihood in range(self.size, 0, -1)]

    @property
    def total(self) -> int:
        """How many risks the map counts."""
        return sum(cell.count for cell in self.cells)

    def by_level(self) -> dict[str | None, int]:
        """The counts summed per level."""
        found: dict[str | None, int] = {}
        for cell in self.cells:
            found[cell.level] = found.get(cell.level, 0) + cell.count
        return found


def build(scale: Scale, counts: Mapping[tuple[int, int], int]) -> HeatMap:
    """The grid of the scale with the count of each (likelihood, impact); ratings outside
    the grid (none, once the scale is checked) are left out."""
    cells = tuple(Cell(likelihood, impact, likelihood * impact,
                       scale.level_of(likelihood * impact),
                       int(counts.get((likelihood, impact), 0)))
                  for likelihood in range(1, scale.size + 1)
                  for impact in range(1, scale.size + 1))
    return HeatMap(scale.size, cells)


def svg(heat: HeatMap, *, element_id: str, title: str, description: str, likelihood: str,
        impact: str, level_names: Mapping[str, str], colours: Mapping[str, str],
        no_level_colour: str = "#eeeeee") -> Markup:
    """The grid as an accessible inline SVG: a <title> and a <desc>, a <title> per cell
    saying its ratings, count and level; figures drawn only where there are risks."""
    size = heat.size
    width, height = LEFT + size * CELL + RIGHT, TOP + size * CELL + BOTTOM
    e = escape
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heat-map" role="img" '
             f'id="{e(element_id)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-labelledby="{e(element_id)}-title '
             f'{e(element_id)}-desc" font-family="sans-serif">',
             f'<title id="{e(element_id)}-title">{e(title)}</title>',
             f'<desc id="{e(element_id)}-desc">{e(description)}</desc>']
    for row_index, row in enumerate(heat.rows()):
        y = TOP + row_index * CELL
        parts.append(f'<text x="{LEFT - 8}" y="{y + CELL // 2}" text-anchor="end" '
                     f'dominant-baseline="central" font-size="12">{row[0].likelihood}</text>')
        for cell in row:
            x = LEFT + (cell.impact - 1) * CELL
            level = level_names.get(cell.level, "—") if cell.level else "—"
            fill = colours.get(cell.level, no_level_colour) if cell.level else no_level_colour
            figure = str(cell.count) if cell.count else ""
            parts.append(
                f'<g class="cell" data-likelihood="{cell.likelihood}" '
                f'data-impact="{cell.impact}" data-count="{cell.count}" '
                f'data-level="{e(cell.level or "")}">'
                f'<title>{e(likelihood)} {cell.likelihood} × {e(impact)} {cell.impact} = '
                f'{cell.score}: {cell.count} ({e(level)})</title>'
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{e(fill)}" '
                f'stroke="#ffffff" stroke-width="2"/>'
                f'<text class="count" x="{x + CELL // 2}" y="{y + CELL // 2}" '
                f'text-anchor="middle" dominant-baseline="central" font-size="16" '
                f'font-weight="bold">{figure}</text></g>')
    base = TOP + size * CELL
    for impact_value in range(1, size + 1):
        parts.append(f'<text x="{LEFT + (impact_value - 1) * CELL + CELL // 2}" '
                     f'y="{base + 16}" text-anchor="middle" font-size="12">{impact_value}</text>')
    parts.append(f'<text x="{LEFT + size * CELL // 2}" y="{base + 38}" text-anchor="middle" '
                 f'font-size="12">{e(impact)} →</text>')
    middle = TOP + size * CELL // 2
    parts.append(f'<text x="14" y="{middle}" text-anchor="middle" font-size="12" '
                 f'transform="rotate(-90 14 {middle})">{e(likelihood)} →</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above is escaped or a number
