"""The demo's quality system for the year: administrative procedures with an on-time measure
and its monthly values (a corrective action raised from the latest month missed), the
citizens' satisfaction survey as a customer-feedback measure, each department's objectives
and plan, risks and opportunities with their treatment, the context and the interested
parties. Everything goes through the services,
and the year is the one of the last month closed before the demo's today."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlalchemy import select

from compliance.auth.models import Membership, User
from compliance.core.extensions import db
from compliance.demo_quality_data import ISSUES, OBJECTIVES, PARTIES, PROCEDURES, RISKS
from compliance.org import services as org
from compliance.org.models import Process
from compliance.quality.measures.models import Measure, MeasureValue
from compliance.quality.measures.services import measures, values
from compliance.quality.objectives.services import context, objectives, plan
from compliance.quality.risks.services import actions, risks


def demo_year(today: date) -> tuple[int, int]:
    """(year, last month) measured: the year of the month before today's, up to that month."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.year, last.month


def counts(index: int, month: int) -> tuple[int, int, int]:
    """(received, on time, late) of a procedure's month; a few months miss the target."""
    received = 20 + (index * 13 + month * 7) % 60
    late = 1 + received // 15 if (index * 5 + month * 3) % 23 == 0 else 0
    return received, received - late, late


def load(coordinator: User, departments: dict, today: date) -> None:
    """The year's procedures, measures and values, objectives, risks and context."""
    year, last_month = demo_year(today)
    heads = _heads()
    for code, dept, vi, en, days in PROCEDURES:
        department_id = departments[dept].id
        org.create_process(None, code=code, name_vi=vi, name_en=en, department_id=department_id,
                           owner_id=heads.get(department_id), kind="administrative",
                           time_limit_days=days, check=False)
    procedures = list(db.session.scalars(select(Process).where(
        Process.kind == "administrative").order_by(Process.code)))
    for index, process in enumerate(procedures):
        _measure(coordinator, process, index, heads, year, last_month, today)
    _satisfaction(coordinator, procedures, heads, year, last_month, today)
    _corrective_action(coordinator, departments["TCKH"].id, today)
    # A risk names one of its department's procedures of the list above by position (the
    # departments' older processes, some of them administrative too, are not counted).
    listed = {entry[0] for entry in PROCEDURES}
    by_department: dict[int, list[Process]] = {}
    for process in procedures:
        if process.code in listed:
            by_department.setdefault(process.department_id, []).append(process)
    for department in departments.values():
        _objectives(coordinator, department.id, heads, year, today)
    for entry in RISKS:
        _risk(coordinator, departments[entry[0]].id, by_department, heads, entry, today)
    for kind, description, effect, days in ISSUES:
        issue = context.create_issue(coordinator, kind=kind, description=description,
                                     effect=effect, review_on=today, today=today)
        # Reviews at chosen distances from today, an overdue one included.
        issue.review_on = today + timedelta(days=days)
    for vi, en, requirements, days in PARTIES:
        context.create_party(coordinator, name_vi=vi, name_en=en, requirements=requirements,
                             review_on=today + timedelta(days=days), today=today)
    db.session.flush()


def _heads() -> dict[int, int]:
    return dict(db.session.execute(select(Membership.department_id, Membership.user_id).where(
        Membership.role == "department_head")).all())


def _measure(coordinator, process, index, heads, year, last_month, today) -> None:
    measure = measures.create_measure(
        coordinator, code=f"M-{process.code}", process_id=process.id,
        name_vi=f"Tỷ lệ hồ sơ giải quyết đúng hạn: {process.name_vi}",
        name_en=f"Dossiers settled on time: {process.name_en}", unit="%", direction="higher",
        target=100, frequency="monthly", first_period=f"{year}-01",
        recorder_id=heads.get(process.department_id), ratio=True)
    for month in range(1, last_month + 1):
        received, on_time, late = counts(index, month)
        values.record_value(coordinator, measure, period=f"{year}-{month:02d}", today=today,
                            received=received, on_time=on_time, late=late,
                            note="Số liệu từ phần mềm một cửa" if late else "")


# The quarterly survey of citizens served at the one-stop shop (share satisfied, %); the
# second quarter falls below the target of 90.
SATISFACTION = (92.5, 87.0, 93.5, 95.0)


def _satisfaction(coordinator, procedures, heads, year, last_month, today) -> None:
    """The survey of citizens' satisfaction, a customer-feedback measure of the office."""
    process = next(p for p in procedures if p.code == "TTHC-VP-02")
    measure = measures.create_measure(
        coordinator, code="M-HL-VP", process_id=process.id,
        name_vi="Tỷ lệ người dân hài lòng với việc giải quyết thủ tục hành chính",
        name_en="Citizens satisfied with the handling of their procedure", unit="%",
        direction="higher", target=90, frequency="quarterly", first_period=f"{year}-Q1",
        recorder_id=heads.get(process.department_id), customer_feedback=True)
    for quarter in range(1, last_month // 3 + 1):
        values.record_value(coordinator, measure, period=f"{year}-Q{quarter}", today=today,
                            value=SATISFACTION[quarter - 1],
                            note="Phiếu khảo sát tại bộ phận một cửa")


def _corrective_action(coordinator, tckh_id: int, today) -> None:
    """A corrective action raised from the latest month that missed its target (outside
    TCKH, whose corrective actions the browser tests walk), so the loop from a measure to
    its correction shows on first start."""
    missed = db.session.scalars(
        select(MeasureValue).join(Measure, Measure.id == MeasureValue.measure_id)
        .join(Process, Process.id == Measure.process_id)
        .where(MeasureValue.missed.is_(True), Measure.frequency == "monthly",
               Process.department_id != tckh_id)
        .order_by(MeasureValue.period_start.desc(), Measure.code).limit(1)).first()
    if missed is not None:
        values.raise_corrective_action(
            coordinator, missed, today=today, grade="minor",
            problem=values.problem_statement(missed, "vi"))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _objectives(coordinator, department_id, heads, year, today) -> None:
    owner_id = heads.get(department_id, coordinator.id)
    for vi, en, unit, target, direction, items in OBJECTIVES:
        objective = objectives.create_objective(
            coordinator, year=year, department_id=department_id, statement_vi=vi,
            statement_en=en, measurement="manual", target=target, unit=unit,
            direction=direction, today=today)
        for what, evaluation, month in items:
            due_on = _month_end(year, month)
            item = plan.add_item(coordinator, objective, description=what,
                                 resources="Cán bộ của phòng", owner_id=owner_id,
                                 due_on=due_on, evaluation_method=evaluation)
            if due_on < today:
                plan.complete_item(coordinator, objective, item,
                                   done_on=due_on - timedelta(days=3), today=today,
                                   expected_version=item.version)


def _risk(coordinator, department_id, by_department, heads, entry, today) -> None:
    _dept, kind, description, cause, consequence, likelihood, impact, nth, action = entry
    procedures = by_department.get(department_id, [])
    process_id = procedures[nth].id if nth is not None and nth < len(procedures) else None
    risk = risks.create_risk(coordinator, department_id=department_id, kind=kind,
                             description=description, cause=cause, consequence=consequence,
                             likelihood=likelihood, impact=impact, process_id=process_id,
                             today=today)
    actions.add_action(coordinator, risk, description=action,
                       owner_id=heads.get(department_id, coordinator.id),
                       due_on=today + timedelta(days=30 + 7 * (likelihood + impact)),
                       today=today)
