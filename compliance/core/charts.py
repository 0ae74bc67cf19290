"""Small server-side SVG charts: bars (grouped or stacked) and lines with a target line.

Pure (no database, no Flask): data in, markup out, so that pages, the dashboard and
WeasyPrint's PDFs draw alike. Every chart is an accessible <svg role="img"> with a <title>
and a <desc>; every mark carries a <title> with its figure and prints its figure beside it
(nothing is only on hover); `figure` adds the same numbers as an HTML table. Every label is
escaped here: department names and other labels are user input. Text comes in translated.
A measure against its target over time is one call:
`line(id, title, desc, periods, [Series("value", name, values)], target=t, target_label=...)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Colour-blind-safe and printable (Okabe–Ito), cycled when a series names none.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
           "#999999")
TARGET_COLOUR = "#d55e00"
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 72
LEGEND_ROW = 18
MAX_BAR = 56


@dataclass(frozen=True)
class Series:
    """One series: a key (for tests and CSS), its label and one value per category (None:
    no value for that category)."""

    key: str
    label: str
    values: tuple[float | None, ...]
    colour: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart as data: what `svg` draws and `table` lists."""

    kind: str  # "bar", "stacked" or "line"
    element_id: str
    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    target: float | None = None
    target_label: str = ""
    unit: str = ""

    @property
    def empty(self) -> bool:
        """Whether there is no figure to draw at all."""
        return not any(v for s in self.series for v in s.values if v is not None)


def _series(series: Sequence[Series], size: int) -> tuple[Series, ...]:
    found = []
    for index, item in enumerate(series):
        if len(item.values) != size:
            raise ValueError(f"series {item.key!r} has {len(item.values)} values, not {size}")
        found.append(Series(item.key, item.label, tuple(item.values),
                            item.colour or PALETTE[index % len(PALETTE)]))
    return tuple(found)


def bar(element_id: str, title: str, description: str, categories: Sequence[str],
        series: Sequence[Series], *, stacked: bool = False, unit: str = "") -> Chart:
    """A bar chart: one group (or stack) of bars per category, one bar per series."""
    return Chart("stacked" if stacked else "bar", element_id, title, description,
                 tuple(categories), _series(series, len(categories)), unit=unit)


def line(element_id: str, title: str, description: str, categories: Sequence[str],
         series: Sequence[Series], *, target: float | None = None, target_label: str = "",
         unit: str = "") -> Chart:
    """A line chart over the categories (periods), with an optional horizontal target."""
    return Chart("line", element_id, title, description, tuple(categories),
                 _series(series, len(categories)), target=target, target_label=target_label,
                 unit=unit)


def number(value: float | None, unit: str = "") -> str:
    """A figure as drawn and listed: whole numbers without decimals, others to one."""
    if value is None:
        return "—"
    text = str(int(value)) if float(value).is_integer() else f"{value:.1f}"
    return f"{text}{unit}"


def _top(chart: Chart) -> float:
    if chart.kind == "stacked":
        peak = max((sum(s.values[i] or 0 for s in chart.series)
                    for i in range(len(chart.categories))), default=0)
    else:
        peak = max((v for s in chart.series for v in s.values if v is not None), default=0)
    if chart.target is not None:
        peak = max(peak, chart.target)
    whole = all(float(v).is_integer() for s in chart.series for v in s.values if v is not None)
    # Counts get whole ticks: never a top below 5 (ticks of one).
    return max(_nice(peak), 5) if whole and peak <= 5 else _nice(peak)


def _ticks(top: float) -> int:
    """How many steps the axis has: 4 for a top of 2, 20, ...; 5 for 1 and 5, 10, 50, ..."""
    while top >= 10:
        top /= 10
    return 4 if round(top) == 2 else 5


def _nice(peak: float) -> float:
    """The axis's top: 1, 2 or 5 times a power of ten at or above the peak."""
    if peak <= 0:
        return 1
    step = 1.0
    while step * 10 <= peak:
        step *= 10
    while step > peak:
        step /= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= peak:
            return step * factor
    return step * 10


def _legend_rows(chart: Chart) -> int:
    return len(chart.series) + (1 if chart.target is not None else 0)


def svg(chart: Chart) -> Markup:
    """The chart as an accessible inline SVG."""
    e = escape
    height = HEIGHT + LEGEND_ROW * _legend_rows(chart)
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT
    top = _top(chart)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{chart.kind}" '
             f'role="img" id="{e(chart.element_id)}" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{e(chart.element_id)}-title '
             f'{e(chart.element_id)}-desc" font-family="sans-serif" font-size="11">',
             f'<title id="{e(chart.element_id)}-title">{e(chart.title)}</title>',
             f'<desc id="{e(chart.element_id)}-desc">{e(chart.description)}</desc>']

    def y_of(value: float) -> float:
        return round(TOP + plot_h - value / top * plot_h, 2)

    steps = _ticks(top)
    for step in range(steps + 1):
        value = top * step / steps
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + plot_w}" y2="{y}" '
                     f'stroke="#dddddd"/><text x="{LEFT - 4}" y="{y}" text-anchor="end" '
                     f'dominant-baseline="central">{e(number(value))}</text>')
    count = max(len(chart.categories), 1)
    band = plot_w / count
    for index, category in enumerate(chart.categories):
        x = round(LEFT + band * (index + 0.5), 2)
        parts.append(f'<text class="category" x="{x}" y="{TOP + plot_h + 14}" '
                     f'text-anchor="end" transform="rotate(-30 {x} {TOP + plot_h + 14})">'
                     f'{e(_short(category))}<title>{e(category)}</title></text>')
    if chart.kind == "line":
        parts.extend(_lines(chart, band, y_of))
    else:
        parts.extend(_bars(chart, band, y_of))
    parts.extend(_legend(chart))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above is escaped or a number


def _short(label: str, size: int = 18) -> str:
    return label if len(label) <= size else label[:size - 1] + "…"


def _mark_title(chart: Chart, series: Series, index: int) -> str:
    value = series.values[index]
    return (f"{escape(chart.categories[index])} · {escape(series.label)}: "
            f"{escape(number(value, chart.unit))}")


def _bars(chart: Chart, band: float, y_of) -> list[str]:
    parts = []
    base = y_of(0)
    groups = 1 if chart.kind == "stacked" else max(len(chart.series), 1)
    # A few categories make no slabs: a bar is at most MAX_BAR wide, the group centred.
    group = min(band * 0.8, groups * MAX_BAR)
    width = group / groups
    for index in range(len(chart.categories)):
        start = LEFT + band * index + (band - group) / 2
        stacked = 0.0
        for number_of, item in enumerate(chart.series):
            value = item.values[index] or 0
            x = round(start + (0 if chart.kind == "stacked" else number_of * width), 2)
            low = stacked if chart.kind == "stacked" else 0
            y_top, y_low = y_of(low + value), y_of(low)
            parts.append(
                f'<g class="mark" data-series="{escape(item.key)}" data-category="{index}" '
                f'data-value="{escape(number(item.values[index]))}">'
                f'<title>{_mark_title(chart, item, index)}</title>'
                f'<rect x="{x}" y="{y_top}" width="{round(width, 2)}" '
                f'height="{round(y_low - y_top, 2)}" fill="{escape(item.colour)}"/>')
            if value:
                # Printed, not only on hover: inside a stack's segment, above a lone bar.
                label_y = (y_top + y_low) / 2 if chart.kind == "stacked" else y_top - 3
                baseline = "central" if chart.kind == "stacked" else "auto"
                parts.append(f'<text x="{round(x + width / 2, 2)}" y="{round(label_y, 2)}" '
                             f'text-anchor="middle" dominant-baseline="{baseline}">'
                             f'{escape(number(value))}</text>')
            parts.append("</g>")
            if chart.kind == "stacked":
                stacked += value
    parts.append(f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" '
                 f'stroke="#333333"/>')
    return parts


def _lines(chart: Chart, band: float, y_of) -> list[str]:
    parts = []
    if chart.target is not None:
        y = y_of(chart.target)
        parts.append(f'<g class="target" data-value="{escape(number(chart.target))}">'
                     f'<title>{escape(chart.target_label)}: '
                     f'{escape(number(chart.target, chart.unit))}</title>'
                     f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" '
                     f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/></g>')
    for item in chart.series:
        points = [(round(LEFT + band * (i + 0.5), 2), y_of(v), i)
                  for i, v in enumerate(item.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x},{y}" for x, y, _i in points)
            parts.append(f'<polyline points="{path}" fill="none" '
                         f'stroke="{escape(item.colour)}" stroke-width="2"/>')
        for x, y, index in points:
            parts.append(
                f'<g class="mark" data-series="{escape(item.key)}" data-category="{index}" '
                f'data-value="{escape(number(item.values[index]))}">'
                f'<title>{_mark_title(chart, item, index)}</title>'
                f'<circle cx="{x}" cy="{y}" r="4" fill="{escape(item.colour)}"/>'
                f'<text x="{x}" y="{round(y - 7, 2)}" text-anchor="middle">'
                f'{escape(number(item.values[index]))}</text></g>')
    return parts


def _legend(chart: Chart) -> list[str]:
    parts = []
    y = HEIGHT
    for item in chart.series:
        parts.append(f'<g class="legend"><rect x="{LEFT}" y="{y - 10}" width="12" '
                     f'height="12" fill="{escape(item.colour)}"/><text x="{LEFT + 18}" '
                     f'y="{y}">{escape(item.label)}</text></g>')
        y += LEGEND_ROW
    if chart.target is not None:
        parts.append(f'<g class="legend"><line x1="{LEFT}" y1="{y - 4}" x2="{LEFT + 12}" '
                     f'y2="{y - 4}" stroke="{TARGET_COLOUR}" stroke-width="2" '
                     f'stroke-dasharray="3 2"/><text x="{LEFT + 18}" y="{y}">'
                     f'{escape(chart.target_label)}: '
                     f'{escape(number(chart.target, chart.unit))}</text></g>')
    return parts


def table(chart: Chart, *, corner: str = "") -> Markup:
    """The chart's numbers as an HTML table: a row per category, a column per series."""
    e = escape
    head = "".join(f'<th scope="col">{e(s.label)}</th>' for s in chart.series)
    if chart.target is not None:
        head += f'<th scope="col">{e(chart.target_label)}</th>'
    rows = []
    for index, category in enumerate(chart.categories):
        cells = "".join(f'<td class="text-end" data-series="{e(s.key)}">'
                        f'{e(number(s.values[index], chart.unit))}</td>' for s in chart.series)
        if chart.target is not None:
            cells += f'<td class="text-end">{e(number(chart.target, chart.unit))}</td>'
        rows.append(f'<tr><th scope="row">{e(category)}</th>{cells}</tr>')
    return Markup(  # noqa: S704 - every value is escaped
        f'<table class="table table-sm chart-table w-auto" data-chart="{e(chart.element_id)}">'
        f'<thead><tr><th scope="col">{e(corner)}</th>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>')


def figure(chart: Chart, *, numbers: str, corner: str = "", empty: str = "",
           drawing: Markup | None = None) -> Markup:
    """The chart (or another drawing, e.g. a heat map) with its table in a <details> under
    it, titled `numbers`; `empty` is said instead of an empty chart."""
    e = escape
    body = (f'<p class="text-muted chart-empty">{e(empty)}</p>' if chart.empty and empty
            else str(drawing if drawing is not None else svg(chart)))
    described = (f'<p class="small text-muted chart-desc">{e(chart.description)}</p>'
                 if chart.description else "")
    return Markup(  # noqa: S704 - the drawing is built escaped, the rest is escaped here
        f'<figure class="chart-figure" data-testid="chart-{e(chart.element_id)}">'
        f'<figcaption class="h6">{e(chart.title)}</figcaption>'
        # The description printed too: a reader of the paper copy has no screen reader.
        f'{described}{body}'
        f'<details class="chart-numbers"><summary>{e(numbers)}</summary>'
        f'{table(chart, corner=corner)}</details></figure>')
