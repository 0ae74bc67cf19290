"""Reads of measures and their values for lists, the process page, the scheduler and the
coming dashboard, charts and PDFs: data only (never URLs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import contains_eager

from compliance.core.extensions import db
from compliance.org.models import Process
from compliance.quality.measures import periods, rules
from compliance.quality.measures.models import Measure, MeasureImport, MeasureValue


@dataclass(frozen=True)
class Latest:
    """A measure with the latest value recorded for it (None before the first)."""

    measure: Measure
    value: MeasureValue | None


@dataclass(frozen=True)
class Point:
    """One period of a measure's series: its value (None when not recorded, or nothing to
    compute) and the target it is judged against."""

    period: str
    start: date
    end: date
    value: float | None
    target: float
    missed: bool
    recorded: bool


@dataclass(frozen=True)
class Series:
    """A measure's values over a stretch of time, every period listed."""

    measure_id: int
    code: str
    name_vi: str
    name_en: str
    unit: str
    direction: str
    target: float
    points: list[Point]


@dataclass(frozen=True)
class Missed:
    """A value that missed its target."""

    value_id: int
    measure_id: int
    code: str
    name_vi: str
    name_en: str
    unit: str
    process_id: int
    department_id: int
    period: str
    value: float | None
    target: float


@dataclass(frozen=True)
class ProcessSummary:
    """How a process's measures did in a year: values recorded, met and missed."""

    process_id: int
    code: str
    name_vi: str
    name_en: str
    department_id: int
    measures: int
    recorded: int
    met: int
    missed: int


def _measures(user=None):
    stmt = (select(Measure).join(Measure.process).options(contains_eager(Measure.process))
            .order_by(Measure.code))
    return rules.visible_measures(user, stmt) if user is not None else stmt


def _latest(measures: list[Measure]) -> list[Latest]:
    ids = [m.id for m in measures]
    if not ids:
        return []
    newest = (select(MeasureValue.measure_id, func.max(MeasureValue.period_start).label("start"))
              .where(MeasureValue.measure_id.in_(ids)).group_by(MeasureValue.measure_id)
              .subquery())
    latest = {v.measure_id: v for v in db.session.scalars(select(MeasureValue).join(
        newest, and_(newest.c.measure_id == MeasureValue.measure_id,
                     newest.c.start == MeasureValue.period_start)))}
    return [Latest(m, latest.get(m.id)) for m in measures]


def listing(user, *, department_id: int | None = None,
            process_id: int | None = None) -> list[Latest]:
    """The measures the user may read, each with its latest value."""
    stmt = _measures(user)
    if department_id:
        stmt = stmt.where(Process.department_id == department_id)
    if process_id:
        stmt = stmt.where(Measure.process_id == process_id)
    return _latest(list(db.session.scalars(stmt)))


def for_process(user, process_id: int) -> list[Latest]:
    """The measures of one process that the user may read, with their latest values."""
    return listing(user, process_id=process_id)


def records_some(user) -> bool:
    """Whether the user is the named recorder of an active measure."""
    return db.session.scalar(select(func.count()).select_from(Measure).where(
        Measure.recorder_id == user.id, Measure.active.is_(True))) > 0


def values_of(measure_id: int) -> list[MeasureValue]:
    """Every value of a measure, newest period first."""
    return list(db.session.scalars(select(MeasureValue).where(
        MeasureValue.measure_id == measure_id).order_by(MeasureValue.period_start.desc())))


def series(measure_id: int, start: date, end: date) -> Series:
    """A measure's periods from the one holding `start` to the one holding `end`, each with
    its value and target (the measure's current target where nothing is recorded)."""
    measure = db.session.get(Measure, measure_id)
    wanted = periods.between(measure.frequency, start, end)
    found = {v.period: v for v in db.session.scalars(select(MeasureValue).where(
        MeasureValue.measure_id == measure_id,
        MeasureValue.period_start >= (wanted[0].start if wanted else start),
        MeasureValue.period_start <= end))}
    points = []
    for period in wanted:
        value = found.get(period.code)
        points.append(Point(period.code, period.start, period.end,
                            value.value if value else None,
                            value.target if value else measure.target,
                            bool(value and value.missed), value is not None))
    return Series(measure.id, measure.code, measure.name_vi, measure.name_en, measure.unit,
                  measure.direction, measure.target, points)


def missed(department_id: int | None, year: int) -> list[Missed]:
    """The values of a year (periods starting in it) that missed their target, organisation-
    wide or for one department, by department, measure and period."""
    stmt = (select(MeasureValue, Measure, Process.department_id)
            .join(Measure, Measure.id == MeasureValue.measure_id)
            .join(Process, Process.id == Measure.process_id)
            .where(MeasureValue.missed.is_(True),
                   MeasureValue.period_start >= date(year, 1, 1),
                   MeasureValue.period_start <= date(year, 12, 31))
            .order_by(Process.department_id, Measure.code, MeasureValue.period_start))
    if department_id is not None:
        stmt = stmt.where(Process.department_id == department_id)
    return [Missed(v.id, m.id, m.code, m.name_vi, m.name_en, m.unit, m.process_id, dept,
                   v.period, v.value, v.target)
            for v, m, dept in db.session.execute(stmt)]


def process_summaries(department_id: int | None, year: int) -> list[ProcessSummary]:
    """Per process with measures: how many values of the year were recorded, met, missed."""
    return process_performance(date(year, 1, 1), date(year, 12, 31), department_id)


def process_performance(start: date, end: date,
                        department_id: int | None = None) -> list[ProcessSummary]:
    """Per process with measures: how many values of periods starting from start to end were
    recorded, met and missed (management-review input 9.3.2 c 3)."""
    judged = func.sum(case((MeasureValue.missed.is_(True), 1), else_=0))
    stmt = (select(Process.id, Process.code, Process.name_vi, Process.name_en,
                   Process.department_id, func.count(func.distinct(Measure.id)),
                   func.count(MeasureValue.id), judged)
            .join(Measure, Measure.process_id == Process.id)
            .outerjoin(MeasureValue, and_(MeasureValue.measure_id == Measure.id,
                                          MeasureValue.period_start >= start,
                                          MeasureValue.period_start <= end))
            .group_by(Process.id, Process.code, Process.name_vi, Process.name_en,
                      Process.department_id)
            .order_by(Process.department_id, Process.code))
    if department_id is not None:
        stmt = stmt.where(Process.department_id == department_id)
    return [ProcessSummary(pid, code, vi, en, dept, count, recorded, recorded - (late or 0),
                           late or 0)
            for pid, code, vi, en, dept, count, recorded, late in db.session.execute(stmt)]


def feedback_measures() -> list[Measure]:
    """The active measures flagged as customer satisfaction or feedback, by code."""
    return list(db.session.scalars(_measures().where(Measure.active.is_(True),
                                                     Measure.customer_feedback.is_(True))))


@dataclass(frozen=True)
class Due:
    """A period of an active measure that is over, past its grace, with no value."""

    measure: Measure
    period: periods.Period
    days_late: int


def unrecorded(today: date, grace_days: int, window_days: int = 366) -> list[Due]:
    """Periods ended more than `grace_days` before today (and within the window: a value a
    year late is no longer chased) whose value has not been recorded."""
    last_end = today - timedelta(days=grace_days + 1)
    first_end = today - timedelta(days=window_days)
    measures = list(db.session.scalars(select(Measure).where(Measure.active.is_(True))
                                       .order_by(Measure.id)))
    if not measures:
        return []
    recorded = set(db.session.execute(select(MeasureValue.measure_id, MeasureValue.period)
                                      .where(MeasureValue.period_end >= first_end,
                                             MeasureValue.period_end <= last_end)).all())
    found = []
    for measure in measures:
        begin = max(measure.starts_on, first_end - timedelta(days=366))
        for period in periods.between(measure.frequency, begin, last_end):
            if first_end <= period.end <= last_end and period.start >= measure.starts_on \
                    and (measure.id, period.code) not in recorded:
                found.append(Due(measure, period, (today - period.end).days))
    return found


def missing_by_measure(today: date, grace_days: int) -> dict[int, list[Due]]:
    """The periods each active measure is missing a value for (past their grace), oldest
    first: the register marks them as the alert job chases them."""
    found: dict[int, list[Due]] = {}
    for due in unrecorded(today, grace_days):
        found.setdefault(due.measure.id, []).append(due)
    return found


def imports_of(user, limit: int = 20) -> list[MeasureImport]:
    """The user's latest imports (a coordinator's list shows everyone's)."""
    stmt = select(MeasureImport).order_by(MeasureImport.id.desc()).limit(limit)
    if not rules.may_read_all_imports(user):
        stmt = stmt.where(MeasureImport.uploaded_by_id == user.id)
    return list(db.session.scalars(stmt))
