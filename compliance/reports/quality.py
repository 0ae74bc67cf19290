"""The quality system's part of the reports: objectives' progress and the risk picture for the
six-monthly report; context changes (9.3.2 b), objectives (c 2), the effectiveness of risk
actions (e) and opportunities (f) for the management-review input pack. Drawn with the
monitoring dashboard's charts, in the language active when called (pdfs calls it inside
force_locale). The report's scope was checked by the reports' rules before it was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from compliance.capa import queries as ca_queries
from compliance.core import clock
from compliance.dashboard import figures, monitoring
from compliance.quality.measures import queries as measure_queries
from compliance.quality.objectives import queries as objective_queries
from compliance.quality.objectives.labels import STATUS_LABELS
from compliance.quality.risks import queries as risk_queries
from compliance.quality.risks.labels import KIND_LABELS, LEVEL_LABELS, STATE_LABELS
from compliance.quality.risks.services.common import current_scale


@dataclass
class Quality:
    """What a report shows of the quality system."""

    figures: list = field(default_factory=list)
    changes: list = field(default_factory=list)        # objectives.queries.Change
    opportunities: list = field(default_factory=list)  # (risk, level)
    effectiveness: object = None
    measures: list = field(default_factory=list)
    measures_note: str = ""
    objectives: list = field(default_factory=list)  # ObjectiveRow, a department's report
    risks: list = field(default_factory=list)       # RiskRow, a department's report
    feedback: list = field(default_factory=list)    # the input pack's c 1: a chart per measure
    complaints: int = 0                              # corrective actions from complaints
    performance: list = field(default_factory=list)  # c 3: measures.queries.ProcessSummary


@dataclass(frozen=True)
class ObjectiveRow:
    """An objective as the report's table prints it, in the report's language."""

    statement: str
    target: str
    current: str
    plan: str
    status: str


@dataclass(frozen=True)
class RiskRow:
    """A risk or opportunity of the department as the report's table prints it."""

    reference: str
    process: str
    kind: str
    description: str
    before: str
    after: str
    status: str


def six_monthly(report, today: date | None = None) -> Quality:
    """Objectives' progress of the report's year, the measures against target over the period
    and the risks as they stand, for its scope."""
    today = today or clock.today()
    year, on = report.period.year, min(report.period.as_of, today)
    scope = None if report.department is None else {report.department.id}
    charts, note = figures.measures(None, report.period.start, min(report.period.end, today),
                                    scope, _locale())
    if report.department is None:
        departments = monitoring.departments(None)
        found = [figures.objectives_chart(objective_queries.status_by_department(year), year,
                                          departments, _locale()),
                 figures.objective_progress(year, None, on, _(
                     "The organisation's objectives %(year)s: plan steps", year=year),
                     _locale())]
        found += figures.risks(None, departments, _locale())
    else:
        department = report.department
        found = [figures.objective_progress(year, department.id, on, _(
            "Objectives %(year)s of %(department)s: plan steps", year=year,
            department=department.name(_locale())), _locale())]
        found += figures.risks({department.id}, [department], _locale())
        return Quality(figures=found, measures=charts, measures_note=note,
                       objectives=_objective_rows(year, department.id, on),
                       risks=_risk_rows(department.id))
    return Quality(figures=found, measures=charts, measures_note=note)


def _quantity(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{format_decimal(value, format='#,##0.##')} {unit}".strip()


def _objective_rows(year: int, department_id: int, on: date) -> list[ObjectiveRow]:
    rows = []
    for row in objective_queries.department_progress(year, department_id, on):
        o = row.objective
        plan = _("%(done)d of %(total)d done", done=row.items_done, total=row.items_total)
        if row.items_overdue:
            plan += " · " + _("%(count)s overdue", count=row.items_overdue)
        rows.append(ObjectiveRow(o.statement(_locale()), _quantity(o.target, o.unit),
                                 _quantity(o.current_value, o.unit), plan,
                                 str(STATUS_LABELS[o.status])))
    return rows


def _rating(scale, likelihood, impact, score) -> str:
    if not score:
        return _("Not rated")
    level = scale.level_of(score)
    return f"{LEVEL_LABELS[level] if level else '—'} ({likelihood} × {impact} = {score})"


def _risk_rows(department_id: int) -> list[RiskRow]:
    """The department's risks and opportunities not closed, by process, highest first."""
    scale = current_scale()
    risks = sorted(risk_queries.department_risks(department_id),
                   key=lambda r: (r.process.code if r.process else "~", -(r.score or 0), r.id))
    return [RiskRow(r.reference, r.process.code if r.process else "—", str(KIND_LABELS[r.kind]),
                    r.description, _rating(scale, r.likelihood, r.impact, r.score),
                    _rating(scale, r.residual_likelihood, r.residual_impact, r.residual_score),
                    str(STATE_LABELS[r.status])) for r in risks]


def input_pack(pack, today: date | None = None) -> Quality:
    """Context changes since the last review, objectives by status, risk actions' outcomes and
    open opportunities, for the whole organisation."""
    today = today or clock.today()
    period = pack.period
    since = pack.last_review.held_on if pack.last_review is not None else period.start
    year = period.end.year
    effectiveness = risk_queries.action_effectiveness(today, start=period.start,
                                                      end=period.end)
    scale = current_scale()
    departments = monitoring.departments(None)
    performance = measure_queries.process_performance(period.start, period.end)
    return Quality(
        figures=[figures.objectives_chart(objective_queries.status_by_department(year), year,
                                          departments, _locale()),
                 figures.effectiveness_chart(effectiveness, _(
                     "Treatment actions of risks and opportunities by outcome")),
                 figures.performance_chart(performance, _(
                     "Process measures against target by process"))],
        feedback=_feedback(period.start, period.end),
        complaints=sum(ca.source == "complaint"
                       for ca in ca_queries.opened_between(period.start, period.end)),
        performance=performance,
        changes=objective_queries.context_changes_since(
            datetime.combine(since, time(), clock.zone())),
        opportunities=[(o, scale.level_of(o.score))
                       for o in risk_queries.opportunities()],
        effectiveness=effectiveness)


def _feedback(start: date, end: date) -> list:
    """The customer satisfaction and feedback measures (those flagged so) over the period,
    each against its target: the data rule of input 9.3.2 c 1."""
    found = []
    for measure in measure_queries.feedback_measures():
        series = measure_queries.series(measure.id, start, end)
        found.append(figures.over_time(
            f"feedback-{measure.id}", f"{measure.code}: {measure.name(_locale())}",
            [p.period for p in series.points], [p.value for p in series.points],
            target=series.target, unit=series.unit, series_label=_("Value")))
    return found


def _locale() -> str:
    # Whatever force_locale (or the request) made active: the names follow it.
    return str(get_locale())
