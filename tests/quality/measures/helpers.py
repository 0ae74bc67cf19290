"""Measures made through the same services the pages use, and the ids the route walks need."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

from sqlalchemy import func, select

from compliance.auth.models import User
from compliance.core import clock as core_clock
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.quality.measures import periods, queries, rules, services
from compliance.quality.measures.models import MeasureValue

TODAY = date(2026, 6, 15)  # the pinned clock's day (tests/conftest.py)
# The smallest file the upload check accepts as a PNG image.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def cast(make) -> SimpleNamespace:
    """A department with its head (the process owner) and a member who records, another
    department with its own staff, a coordinator and an auditor."""
    dept, other = make.department(code="TP"), make.department(code="VP")
    head = make.user(name="Đặng Ngọc Lan", departments=[(dept.id, "department_head")])
    return SimpleNamespace(
        dept=dept, other=other, head=head,
        recorder=make.user(name="Lê Thu Hà", departments=[(dept.id, "staff")]),
        staff=make.user(name="Ngô Văn Bình", departments=[(dept.id, "staff")]),
        outsider=make.user(name="Vũ Thị Mai", departments=[(other.id, "staff")]),
        coordinator=make.user(name="Trần Minh Thư", roles=["coordinator"]),
        auditor=make.user(name="Phạm Hồng Nhung", roles=["auditor"]),
        process=make.process(dept.id, code="TTHC-TP-01", owner_id=head.id,
                             name_vi="Chứng thực bản sao", name_en="Certified copies"))


def measure(app, people, *, code: str = "KPI-TP-01", ratio: bool = False,
            target: float = 95.0, direction: str = "higher", frequency: str = "monthly",
            first_period: str = "2026-01", process_id: int | None = None,
            name_en: str = "Dossiers settled on time", **extra) -> int:
    """A measure of the cast's process, recorded by its recorder; returns its id."""
    with app.app_context(), write_intent():
        coordinator = db.session.get(User, people.coordinator.id)
        made = services.create_measure(
            coordinator, code=code, process_id=process_id or people.process.id,
            name_vi="Tỷ lệ hồ sơ đúng hạn", name_en=name_en, unit="%",
            direction=direction, target=target, frequency=frequency,
            first_period=first_period, recorder_id=people.recorder.id, ratio=ratio, **extra)
        db.session.commit()
        return made.id


def record(app, user_id: int, measure_id: int, period: str, **values) -> int:
    """A value recorded through the service; returns its id."""
    with app.app_context(), write_intent():
        value = services.record_value(db.session.get(User, user_id), services.get(measure_id),
                                      period=period, today=TODAY, **values)
        db.session.commit()
        return value.id


def value_count(app) -> int:
    """How many values are recorded, in all."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(MeasureValue))


# The routes that need an import previewed (the others skip that part of the world).
IMPORT_ROUTES = ("quality.measures.preview", "quality.measures.confirm")


def measure_ids(app, make, endpoint: str, department_id: int, user=None) -> SimpleNamespace:
    """For the route walks: a measure of a process of the department, recorded by someone
    else, with a value that missed its target (evidence attached), and an import previewed
    by the walking user (by a coordinator when the walker may not import). Periods follow
    the real clock, as the walk does. Only the measure routes get one."""
    if not endpoint.startswith("quality.measures."):
        return SimpleNamespace()
    coordinator = make.user(roles=["coordinator"])
    recorder = make.user(departments=[(department_id, "staff")])
    process = make.process(department_id)
    people = SimpleNamespace(coordinator=coordinator, recorder=recorder, process=process)
    today = core_clock.today()
    recorded = periods.last_ended("monthly", today)
    code = f"KPI-{process.id}"
    measure_id = measure(app, people, code=code,
                         first_period=recorded.previous().previous().code)
    with app.app_context(), write_intent():
        value_id = services.record_value(
            db.session.get(User, recorder.id), services.get(measure_id), period=recorded.code,
            today=today, value="90", stream=io.BytesIO(PNG), filename="so-theo-doi.png").id
        import_id = 0
        if endpoint in IMPORT_ROUTES:
            walker = db.session.get(User, user.id) if user is not None else None
            if walker is None or not rules.may_import(walker, queries.records_some(walker)):
                walker = db.session.get(User, coordinator.id)
            csv = f"measure,period,value\n{code},{recorded.previous().code},97\n"
            import_id = services.upload(walker, io.BytesIO(csv.encode()), "values.csv",
                                        today).id
        db.session.commit()
    return SimpleNamespace(measure_id=measure_id, value_id=value_id, import_id=import_id,
                           free_period=recorded.previous().code)
