"""The monitoring dashboard's charts: dashboard.monitoring's figures with translated titles,
descriptions and labels, drawn by core.charts (and the risks' heat map). The same charts go
into the page and the PDFs."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from compliance.audits.services import grades as grade_service
from compliance.core import charts
from compliance.dashboard import monitoring
from compliance.quality.measures import queries as measure_queries
from compliance.quality.objectives import queries as objective_queries
from compliance.quality.objectives.labels import STATUS_LABELS, STATUSES
from compliance.quality.risks import queries as risk_queries
from compliance.quality.risks.labels import EFFECTIVENESS_LABELS, LEVEL_COLOURS, LEVEL_LABELS
from compliance.quality.risks.services.common import current_scale
from compliance.quality.risks.web.maps import draw

STATUS_COLOURS = {"open": "#56b4e9", "achieved": "#009e73", "partly_achieved": "#e69f00",
                  "not_achieved": "#d55e00"}


@dataclass(frozen=True)
class Figure:
    """One chart as a page or PDF shows it: its chart (data) and its markup."""

    key: str
    chart: charts.Chart
    markup: Markup


def _figure(chart: charts.Chart, *, corner: str, drawing: Markup | None = None) -> Figure:
    return Figure(chart.element_id, chart, charts.figure(
        chart, numbers=_("The figures as a table"), corner=corner,
        empty=_("Nothing to show yet."), drawing=drawing))


def _name(department, locale: str) -> str:
    return department.name(locale) if department is not None else _("The organisation")


def _per_department(key, title, description, counts, keys, labels, departments, locale,
                    colours=None, stacked=True) -> Figure:
    """A stacked bar per department in scope (and the organisation where counted)."""
    rows = [(None, None)] if None in counts else []
    rows += [(d.id, d) for d in departments]
    series = [charts.Series(k, str(labels[k]),
                            tuple(counts.get(i, {}).get(k, 0) for i, _d in rows),
                            (colours or {}).get(k, ""))
              for k in keys]
    chart = charts.bar(key, title, description, [_name(d, locale) for _i, d in rows], series,
                       stacked=stacked)
    return _figure(chart, corner=_("Department"))


def objectives(user, year: int, department_ids, departments, locale: str) -> Figure:
    """Objectives of the year the user may read by status, per department."""
    return objectives_chart(monitoring.objectives_by_status(user, year, department_ids), year,
                            departments, locale)


def objectives_chart(counts: dict, year: int, departments, locale: str) -> Figure:
    """Objectives by status per department from their counts (department id → status →
    count; None: the organisation's own)."""
    total = sum(sum(c.values()) for c in counts.values())
    return _per_department(
        "objectives", _("Quality objectives %(year)s by status", year=year),
        _("%(total)d objectives of %(year)s, stacked by status for each department.",
          total=total, year=year),
        counts, STATUSES, STATUS_LABELS, departments, locale, STATUS_COLOURS)


def effectiveness_chart(found, title: str) -> Figure:
    """Treatment actions of risks and opportunities by outcome (9.3.2 e)."""
    keys = list(EFFECTIVENESS_LABELS)
    chart = charts.bar("effectiveness", title,
                       _("%(total)d treatment actions due in the period, by outcome.",
                         total=found.total),
                       [str(EFFECTIVENESS_LABELS[k]) for k in keys],
                       [charts.Series("count", _("Actions"),
                                      tuple(getattr(found, k) for k in keys))])
    return _figure(chart, corner=_("Outcome"))


def performance_chart(summaries, title: str) -> Figure:
    """Each process's measured values in the period: met and missed its target (9.3.2 c 3)."""
    series = [charts.Series("met", _("Target met"), tuple(s.met for s in summaries),
                            "#009e73"),
              charts.Series("missed", _("Target missed"), tuple(s.missed for s in summaries),
                            "#d55e00")]
    chart = charts.bar("process-performance", title, _(
        "%(total)d values recorded for the measures of %(processes)d processes, met and "
        "missed.", total=sum(s.recorded for s in summaries), processes=len(summaries)),
        [s.code for s in summaries], series, stacked=True)
    return _figure(chart, corner=_("Process"))


def objective_progress(year: int, department_id: int | None, today, title: str,
                       locale: str) -> Figure:
    """One department's objectives of the year: plan items done, open and overdue."""
    progress = objective_queries.department_progress(year, department_id, today)
    names = [p.objective.statement(locale)[:60] for p in progress]
    series = [charts.Series("done", _("Steps done"), tuple(p.items_done for p in progress),
                            "#009e73"),
              charts.Series("open", _("Steps open"),
                            tuple(p.items_total - p.items_done - p.items_overdue
                                  for p in progress), "#56b4e9"),
              charts.Series("overdue", _("Steps overdue"),
                            tuple(p.items_overdue for p in progress), "#d55e00")]
    chart = charts.bar(f"progress-{department_id or 'org'}", title,
                       _("Each objective's plan: steps done, open and overdue."), names,
                       series, stacked=True)
    return _figure(chart, corner=_("Objective"))


def risks(department_ids, departments, locale: str) -> list[Figure]:
    """Risks not closed by level per department, and the heat map of the scope."""
    scale = current_scale()
    counts = risk_queries.by_level(scale, department_ids=department_ids)
    levels = [level for level in LEVEL_LABELS if level in scale.levels]
    total = sum(sum(c.values()) for c in counts.values())
    found = [_per_department(
        "risks", _("Risks by level"),
        _("%(total)d risks not closed, stacked by level for each department.", total=total),
        counts, levels, LEVEL_LABELS, departments, locale, LEVEL_COLOURS)]
    scopes = [(None, _("the organisation"))] if department_ids is None \
        else [(d.id, d.name(locale)) for d in departments]
    for department_id, where in scopes:
        found.append(heat_map(scale, department_id, where))
    return found


def heat_map(scale, department_id: int | None, where: str) -> Figure:
    """The heat map of a department (None: the organisation) with its table."""
    key = f"heat-{department_id or 'org'}"
    title = _("Risks before treatment: %(where)s", where=where)
    grid = risk_queries.heat_map(scale, department_id=department_id)
    cells = [cell for cell in grid.cells]
    chart = charts.bar(key, title, "", [f"{c.likelihood} × {c.impact}" for c in cells],
                       [charts.Series("count", _("Risks"), tuple(c.count for c in cells))])
    return _figure(chart, corner=_("Likelihood × impact"),
                   drawing=draw(grid, key=key, title=title))


def reviews(user, today, department_ids, departments, locale: str) -> Figure:
    """Periodic reviews overdue and due within 30 days, per department."""
    counts = monitoring.reviews_due(user, today, department_ids)
    labels = {"overdue": _("Overdue"), "due": _("Due within 30 days")}
    return _per_department(
        "reviews", _("Document reviews overdue and due"),
        _("Documents in force whose periodic review is overdue or due within 30 days."),
        counts, ("overdue", "due"), labels, departments, locale,
        {"overdue": "#d55e00", "due": "#e69f00"}, stacked=False)


def findings(user, year: int, department_ids, locale: str) -> list[Figure]:
    """Findings of the year by grade, and by clause stacked by grade."""
    grades = grade_service.all_grades()
    by_grade = monitoring.findings_by_grade(user, year, department_ids)
    chart = charts.bar("findings-grade", _("Audit findings %(year)s by grade", year=year),
                       _("%(total)d findings recorded in %(year)s.",
                         total=sum(by_grade.values()), year=year),
                       [g.name(locale) for g in grades],
                       [charts.Series("count", _("Findings"),
                                      tuple(by_grade.get(g.code, 0) for g in grades))])
    codes = [g.code for g in grades]
    by_clause = monitoring.findings_by_clause(user, year, department_ids, codes)
    clauses = sorted(by_clause, key=_clause_order)
    per_clause = charts.bar(
        "findings-clause", _("Audit findings %(year)s by clause", year=year),
        _("Findings of %(year)s per clause of the standard, stacked by grade.", year=year),
        [c or _("No clause") for c in clauses],
        [charts.Series(g.code, g.name(locale), tuple(by_clause[c][g.code] for c in clauses))
         for g in grades], stacked=True)
    return [_figure(chart, corner=_("Grade")), _figure(per_clause, corner=_("Clause"))]


def _clause_order(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split(".")) if number else (99,)


def ageing(user, today, department_ids, departments, locale: str) -> Figure:
    """Corrective actions not closed by age, per department."""
    counts = monitoring.ca_ageing(user, today, department_ids)
    labels = {"0_30": _("0–30 days"), "31_60": _("31–60 days"), "61_90": _("61–90 days"),
              "over_90": _("Over 90 days")}
    return _per_department(
        "ageing", _("Open corrective actions by age"),
        _("Corrective actions not closed, by days since they were raised."),
        counts, list(labels), labels, departments, locale,
        {"0_30": "#56b4e9", "31_60": "#e69f00", "61_90": "#cc79a7", "over_90": "#d55e00"})


def readings(user, department_ids, departments, locale: str) -> Figure:
    """Readings of the revisions in force confirmed and outstanding, per department."""
    counts = monitoring.reading_coverage(user, department_ids)
    labels = {"confirmed": _("Confirmed"), "outstanding": _("Not yet confirmed")}
    return _per_department(
        "readings", _("Reading coverage"),
        _("Readings asked of the revisions in force, confirmed or not, per department."),
        counts, ("confirmed", "outstanding"), labels, departments, locale,
        {"confirmed": "#009e73", "outstanding": "#d55e00"})


def over_time(key: str, title: str, periods, values, *, target: float | None, unit: str = "",
              series_label: str = "") -> Figure:
    """A measure against its target over time (periods' labels, one value or None each): the
    one call a measure's chart needs, e.g. from measures.queries.series(...)."""
    chart = charts.line(key, title, _("Each period's value against the target."), periods,
                        [charts.Series("value", series_label or title, tuple(values))],
                        target=target, target_label=_("Target"), unit=unit)
    return _figure(chart, corner=_("Period"))


def measures(user, start, end, department_ids, locale: str) -> tuple[list[Figure], str]:
    """A chart per measure in scope against its target from start to end, and a sentence
    saying which measures are charted."""
    chosen, total, only_missed = monitoring.charted_measures(user, start, end, department_ids)
    found = []
    for measure in chosen:
        series = measure_queries.series(measure.id, start, end)
        found.append(over_time(
            f"measure-{measure.id}", f"{measure.code}: {measure.name(locale)}",
            [p.period for p in series.points], [p.value for p in series.points],
            target=series.target, unit=series.unit, series_label=_("Value")))
    if only_missed:
        note = _("%(shown)d of the %(total)d measures in scope, those that missed their "
                 "target at least once in the period.", shown=len(chosen), total=total)
    else:
        note = _("Every measure in scope (%(total)d).", total=total)
    return found, note


def dashboard(user, today, department_ids, locale: str) -> list[Figure]:
    """Every chart of the monitoring page, for the departments in scope (None: all)."""
    departments = monitoring.departments(department_ids)
    return [objectives(user, today.year, department_ids, departments, locale),
            *risks(department_ids, departments, locale),
            reviews(user, today, department_ids, departments, locale),
            *findings(user, today.year, department_ids, locale),
            ageing(user, today, department_ids, departments, locale),
            readings(user, department_ids, departments, locale)]
