"""CSV import of measure values: a 10,000-row file (1,000 measures × 10 months, one in ten
below target) previewed and then confirmed, each step timed, beside the floor of a bare
INSERT of the same rows in one transaction. The limit is 10 s for the whole import.

    .venv/bin/python -m bench.measures_import [--rows 10000] [--database postgresql]

The database is made afresh each run (SQLite under /tmp, or the PostgreSQL database below).
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from compliance.app import create_app
from compliance.auth.models import Membership, User, UserRole
from compliance.config import normalise_database_url
from compliance.core import clock
from compliance.core.db import utcnow
from compliance.core.extensions import db
from compliance.core.uow import unit_of_work
from compliance.notifications.models import Notification
from compliance.org.models import Department, Process
from compliance.quality.measures import periods, services
from compliance.quality.measures.models import Measure, MeasureValue

LIMIT_SECONDS = 10.0
DEPARTMENTS, PROCESSES_PER_DEPARTMENT, MEASURES_PER_PROCESS = 20, 5, 10
NOW = datetime(2026, 11, 15, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
PG_URL = "postgresql://postgres@127.0.0.1:5432/compliance_bench_measures"


def _fresh_pg(url: str) -> str:
    """Drop and create the benchmark's own PostgreSQL database."""
    target = make_url(normalise_database_url(url))
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return url


def _seed() -> int:
    """Departments, their heads (process owners), processes and measures; the importer's id."""
    now = utcnow()
    coordinator = User(email="coordinator@bench.test", name="Coordinator", locale="vi",
                       password_hash="-", roles=[UserRole(role="coordinator")])  # noqa: S106
    db.session.add(coordinator)
    db.session.add_all([Department(code=f"D{n:02d}", name_vi=f"Phòng {n}",
                                   name_en=f"Office {n}") for n in range(DEPARTMENTS)])
    db.session.flush()
    heads = []
    for n in range(DEPARTMENTS):
        head = User(email=f"head{n}@bench.test", name=f"Head {n}", locale="vi",
                    password_hash="-")  # noqa: S106
        head.memberships.append(Membership(department_id=n + 1, role="department_head"))
        heads.append(head)
    db.session.add_all(heads)
    db.session.flush()
    db.session.execute(insert(Process), [
        {"code": f"P{d:02d}-{p}", "name_vi": f"Quy trình {d}-{p}", "name_en": f"Process {d}-{p}",
         "department_id": d + 1, "owner_id": heads[d].id, "inputs": "", "outputs": "",
         "purpose": "", "kind": "administrative", "time_limit_days": 5, "version": 1,
         "created_at": now, "updated_at": now}
        for d in range(DEPARTMENTS) for p in range(PROCESSES_PER_DEPARTMENT)])
    db.session.execute(insert(Measure), [
        {"code": f"M{pid:03d}-{m}", "process_id": pid, "name_vi": f"Chỉ số {pid}-{m}",
         "name_en": f"Measure {pid}-{m}", "unit": "%", "direction": "higher", "target": 95.0,
         "frequency": "monthly", "first_period": "2026-01", "recorder_id": None,
         "ratio": m % 2 == 0, "active": True, "version": 1, "created_at": now,
         "updated_at": now}
        for pid in range(1, DEPARTMENTS * PROCESSES_PER_DEPARTMENT + 1)
        for m in range(MEASURES_PER_PROCESS)])
    return coordinator.id


def _csv(rows: int) -> bytes:
    """One row per measure and month from January on, until `rows`; one in ten misses."""
    chance = random.Random(13)
    ratio = dict(db.session.execute(select(Measure.code, Measure.ratio)
                                    .order_by(Measure.id)).all())
    codes = list(ratio)
    months = periods.between("monthly", date(2026, 1, 1), date(2026, 10, 31))
    lines = ["measure,period,value,received,on_time,late,note"]
    for month in months:
        for code in codes:
            if len(lines) > rows:
                break
            low = chance.random() < 0.1
            if ratio[code]:
                received = chance.randint(40, 200)
                on_time = received - (chance.randint(11, 30) if low else chance.randint(0, 2))
                on_time = max(on_time, 0)
                lines.append(f"{code},{month.code},,{received},{on_time},"
                             f"{received - on_time},")
            else:
                lines.append(f"{code},{month.code},{chance.uniform(80, 94.9) if low else 99:.1f}"
                             ",,,,")
    return ("\n".join(lines) + "\n").encode()


def _floor(data: bytes) -> float:
    """A bare INSERT of the file's rows (parsed with no checks) in one transaction."""
    ids = dict(db.session.execute(select(Measure.code, Measure.id)).all())
    rows = []
    now = utcnow()
    for line in data.decode().splitlines()[1:]:
        code, period, value, received, on_time, *_rest = line.split(",")
        p = periods.parse(period)
        number = float(value) if value else int(on_time) * 100 / int(received)
        rows.append({"measure_id": ids[code], "period": p.code, "period_start": p.start,
                     "period_end": p.end, "value": number, "target": 95.0,
                     "missed": number < 95, "note": "", "source": "import",
                     "recorded_at": now})
    started = time.perf_counter()
    with unit_of_work():
        db.session.execute(insert(MeasureValue), rows)
        db.session.rollback()  # the figures are kept by the real import below
    return time.perf_counter() - started


def run(database: str, rows: int) -> None:
    """Seed, build the file, time the preview and the confirmation; print the figures."""
    folder = Path(tempfile.mkdtemp(prefix="bench-measures-"))
    url = _fresh_pg(PG_URL) if database == "postgresql" \
        else f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"),
                      "SECRET_KEY": "bench"})
    clock.set(NOW)
    try:
        with app.app_context(), app.test_request_context("/"):
            db.create_all()
            with unit_of_work():
                importer_id = _seed()
            data = _csv(rows)
            floor = _floor(data)
            started = time.perf_counter()
            with unit_of_work():
                upload = services.upload(db.session.get(User, importer_id), io.BytesIO(data),
                                         "bench.csv", clock.today())
                upload_id = upload.id
            previewed = time.perf_counter()
            with unit_of_work():
                importer = db.session.get(User, importer_id)
                written = services.confirm(importer, services.get_import(importer, upload_id),
                                           clock.today())
            confirmed = time.perf_counter()
            missed = db.session.scalar(select(func.count()).select_from(MeasureValue)
                                       .where(MeasureValue.missed.is_(True)))
            notes = db.session.scalar(select(func.count()).select_from(Notification))
    finally:
        clock.reset()
        shutil.rmtree(folder, ignore_errors=True)
    total = confirmed - started
    print(f"database {database}: {written} of {rows} rows written, {missed} below target, "
          f"{notes} notifications")
    print(f"  upload and preview   {previewed - started:6.2f} s")
    print(f"  confirm (one write)  {confirmed - previewed:6.2f} s")
    print(f"  whole import         {total:6.2f} s   (limit {LIMIT_SECONDS:.0f} s: "
          f"{'ok' if total <= LIMIT_SECONDS else 'OVER'})")
    print(f"  floor: bare INSERT   {floor:6.2f} s")


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    options = parser.parse_args()
    run(options.database, options.rows)


if __name__ == "__main__":
    main()
