"""The monitoring dashboard's figures (9.1.3), one grouped query each, read through each
domain's own visible_* rule and limited to the departments asked for (None: all).

Data only (department id → counts); dashboard.figures turns them into charts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select

from compliance.audits import rules as audit_rules
from compliance.audits.models import Audit, Finding
from compliance.capa import rules as capa_rules
from compliance.capa.models import CorrectiveAction
from compliance.core import clock
from compliance.core.extensions import db
from compliance.documents import rules as document_rules
from compliance.documents.models import Acknowledgement, Document, Revision
from compliance.documents.queries import review_overdue
from compliance.org.models import Clause, Department, Process
from compliance.quality.measures import rules as measure_rules
from compliance.quality.measures.models import Measure, MeasureValue
from compliance.quality.objectives import rules as objective_rules
from compliance.quality.objectives.labels import STATUSES
from compliance.quality.objectives.models import Objective

REVIEW_HORIZON_DAYS = 30
# Past this many measures in scope, only those that missed their target in the stretch shown
# get a chart: a coordinator's page stays readable and fast.
MEASURE_CHARTS = 12
# Open corrective actions by days since raised: (key, first day, last day or None).
AGE_BUCKETS = (("0_30", 0, 30), ("31_60", 31, 60), ("61_90", 61, 90), ("over_90", 91, None))


def _within(stmt, column, department_ids):
    return stmt if department_ids is None else stmt.where(column.in_(set(department_ids) or {-1}))


def _pairs(stmt, keys) -> dict:
    """(department, key, count) rows as department → {key: count}, every key present."""
    found: dict = {}
    for department_id, key, count in db.session.execute(stmt):
        found.setdefault(department_id, dict.fromkeys(keys, 0))[key] = count
    return found


def departments(department_ids) -> list[Department]:
    """The active departments in scope, by code."""
    stmt = select(Department).where(Department.active.is_(True)).order_by(Department.code)
    return list(db.session.scalars(_within(stmt, Department.id, department_ids)))


def objectives_by_status(user, year: int, department_ids) -> dict:
    """department id (None: the organisation's own) → objective status → count, of a year."""
    status = func.coalesce(Objective.result, "open")
    stmt = objective_rules.visible_objectives(
        user, select(Objective.department_id, status, func.count(Objective.id))
        .where(Objective.year == year))
    if department_ids is not None:
        stmt = stmt.where(Objective.department_id.in_(set(department_ids) or {-1})
                          | Objective.department_id.is_(None))
    return _pairs(stmt.group_by(Objective.department_id, status), STATUSES)


def reviews_due(user, today: date, department_ids) -> dict:
    """department id → {"overdue", "due"}: effective documents whose periodic review is past,
    or falls within the next 30 days."""
    kind = case((review_overdue(today), "overdue"), else_="due")
    stmt = document_rules.visible_documents(
        user, select(Document.department_id, kind, func.count(Document.id))
        .where(Document.status == "effective",
               Document.next_review_date <= today + timedelta(days=REVIEW_HORIZON_DAYS)))
    stmt = _within(stmt, Document.department_id, department_ids)
    return _pairs(stmt.group_by(Document.department_id, kind), ("overdue", "due"))


def reading_coverage(user, department_ids) -> dict:
    """department id → {"confirmed", "outstanding"}: readings asked of the revisions in
    force, confirmed or not."""
    kind = case((Acknowledgement.acknowledged_at.is_(None), "outstanding"), else_="confirmed")
    stmt = document_rules.visible_documents(
        user, select(Document.department_id, kind, func.count(Acknowledgement.id))
        .select_from(Acknowledgement)
        .join(Revision, Revision.id == Acknowledgement.revision_id)
        .join(Document, Document.id == Revision.document_id)
        .where(Revision.status == "effective"))
    stmt = _within(stmt, Document.department_id, department_ids)
    return _pairs(stmt.group_by(Document.department_id, kind), ("confirmed", "outstanding"))


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in the organisation's time zone, as instants."""
    zone = clock.zone()
    return (datetime.combine(date(year, 1, 1), time(), zone),
            datetime.combine(date(year + 1, 1, 1), time(), zone))


def findings_by_grade(user, year: int, department_ids) -> dict[str, int]:
    """grade code → findings recorded in the year, in audits the user may read."""
    start, end = _year_bounds(year)
    stmt = audit_rules.visible_audits(
        user, select(Finding.grade, func.count(Finding.id))
        .join(Audit, Audit.id == Finding.audit_id)
        .where(Finding.created_at >= start, Finding.created_at < end))
    stmt = _within(stmt, Audit.department_id, department_ids)
    return dict(db.session.execute(stmt.group_by(Finding.grade)).all())


def findings_by_clause(user, year: int, department_ids, grades) -> dict[str, dict[str, int]]:
    """clause number ("" for none) → grade code → findings recorded in the year."""
    start, end = _year_bounds(year)
    number = func.coalesce(Clause.number, "")
    stmt = audit_rules.visible_audits(
        user, select(number, Finding.grade, func.count(Finding.id))
        .join(Audit, Audit.id == Finding.audit_id)
        .outerjoin(Clause, Clause.id == Finding.clause_id)
        .where(Finding.created_at >= start, Finding.created_at < end))
    stmt = _within(stmt, Audit.department_id, department_ids)
    return _pairs(stmt.group_by(number, Finding.grade), grades)


def ca_ageing(user, today: date, department_ids) -> dict:
    """department id → age bucket → corrective actions not closed, by days since raised."""
    age = case(*[(CorrectiveAction.raised_on >= today - timedelta(days=last), key)
                 for key, _first, last in AGE_BUCKETS if last is not None],
               else_=AGE_BUCKETS[-1][0])
    stmt = capa_rules.visible_corrective_actions(
        user, select(CorrectiveAction.department_id, age, func.count(CorrectiveAction.id))
        .where(CorrectiveAction.status != "closed"))
    stmt = _within(stmt, CorrectiveAction.department_id, department_ids)
    return _pairs(stmt.group_by(CorrectiveAction.department_id, age),
                  [key for key, _first, _last in AGE_BUCKETS])


def charted_measures(user, start: date, end: date, department_ids) -> tuple[list[Measure],
                                                                          int, bool]:
    """(measures to chart, measures in scope, whether only those that missed their target
    between start and end are charted): every active measure the user may read in scope, or,
    past MEASURE_CHARTS of them, the first MEASURE_CHARTS that missed. user None: a report
    whose scope its own rules checked."""
    stmt = (select(Measure).join(Process, Process.id == Measure.process_id)
            .where(Measure.active.is_(True)).order_by(Process.department_id, Measure.code))
    if user is not None:
        stmt = measure_rules.visible_measures(user, stmt)
    stmt = _within(stmt, Process.department_id, department_ids)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    if total <= MEASURE_CHARTS:
        return list(db.session.scalars(stmt).unique()), total, False
    missed = select(MeasureValue.measure_id).where(
        MeasureValue.missed.is_(True), MeasureValue.period_start >= start,
        MeasureValue.period_start <= end)
    return (list(db.session.scalars(stmt.where(Measure.id.in_(missed)).limit(MEASURE_CHARTS))
                 .unique()), total, True)
