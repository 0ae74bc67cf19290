"""The monitoring dashboard and the six-monthly report at size: 20 departments × 50 measures
× 5 years of monthly values (60,000 values), 2,000 risks and 300 objectives. The dashboard's
server time (limit 150 ms) and the organisation's six-monthly report PDF (limit 3 s) are timed
through the app in-process, each beside the bare SQL of the same figures.

    .venv/bin/python -m bench.dashboard [--database postgresql] [--write-docs]

The database is made afresh each run (SQLite under /tmp, or the PostgreSQL database below).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, text

from bench.measures_import import _fresh_pg
from bench.report import timed
from compliance.app import create_app
from compliance.audits.services import grades
from compliance.auth import services as users
from compliance.core import clock
from compliance.core.db import utcnow
from compliance.core.extensions import db
from compliance.core.uow import unit_of_work
from compliance.org.models import Department, Process
from compliance.quality.measures import periods
from compliance.quality.measures.models import Measure, MeasureValue
from compliance.quality.objectives.models import Objective, PlanItem
from compliance.quality.risks.models import Risk

DASHBOARD_MS, REPORT_S = 150.0, 3.0
DEPARTMENTS, PROCESSES, MEASURES, RISKS, OBJECTIVES = 20, 5, 50, 100, 3
NOW = datetime(2026, 11, 15, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
FIRST, LAST = date(2021, 11, 1), date(2026, 10, 1)  # 60 months
PG_URL = "postgresql://postgres@127.0.0.1:5432/compliance_bench_dashboard"
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway database's only user
DOCS = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
BEGIN, END = "<!-- bench:dashboard:begin -->", "<!-- bench:dashboard:end -->"


def _seed() -> str:
    """The departments, processes, measures and their values, risks and objectives, by bulk
    inserts (the services would take minutes for 60,000 values); the coordinator's e-mail."""
    now, chance = utcnow(), random.Random(13)
    grades.load_defaults()
    coordinator = users.create_user(None, "coordinator@bench.example", "Coordinator",
                                    PASSWORD, "vi", ["coordinator"], check=False)
    db.session.add_all([Department(code=f"D{n:02d}", name_vi=f"Phòng {n}",
                                   name_en=f"Office {n}") for n in range(DEPARTMENTS)])
    db.session.flush()
    db.session.execute(insert(Process), [
        {"code": f"P{d:02d}-{p}", "name_vi": f"Quy trình {d}-{p}", "name_en": f"Process {d}-{p}",
         "department_id": d + 1, "owner_id": None, "inputs": "", "outputs": "", "purpose": "",
         "kind": "administrative", "time_limit_days": 5, "version": 1, "created_at": now,
         "updated_at": now}
        for d in range(DEPARTMENTS) for p in range(PROCESSES)])
    per_process = MEASURES // PROCESSES
    db.session.execute(insert(Measure), [
        {"code": f"M{pid:03d}-{m}", "process_id": pid, "name_vi": f"Chỉ số {pid}-{m}",
         "name_en": f"Measure {pid}-{m}", "unit": "%", "direction": "higher", "target": 95.0,
         "frequency": "monthly", "first_period": FIRST.strftime("%Y-%m"), "recorder_id": None,
         "ratio": False, "customer_feedback": m == 0, "active": True, "version": 1,
         "created_at": now, "updated_at": now}
        for pid in range(1, DEPARTMENTS * PROCESSES + 1) for m in range(per_process)])
    months = periods.between("monthly", FIRST, LAST)
    rows = []
    for measure_id in range(1, DEPARTMENTS * MEASURES + 1):
        for month in months:
            value = chance.uniform(85, 94.9) if chance.random() < 0.05 else 99.0
            rows.append({"measure_id": measure_id, "period": month.code,
                         "period_start": month.start, "period_end": month.end,
                         "value": value, "target": 95.0, "missed": value < 95, "note": "",
                         "source": "import", "recorded_at": now})
    for start in range(0, len(rows), 10_000):
        db.session.execute(insert(MeasureValue), rows[start:start + 10_000])
    _risks_and_objectives(chance, now, coordinator.id)
    return coordinator.email


def _risks_and_objectives(chance, now, owner_id: int) -> None:
    risks = []
    for n in range(DEPARTMENTS * RISKS):
        likelihood, impact = chance.randint(1, 5), chance.randint(1, 5)
        treated = chance.random() < 0.4
        risks.append({
            "reference": f"R-{n + 1:04d}", "department_id": n % DEPARTMENTS + 1,
            "process_id": n % (DEPARTMENTS * PROCESSES) + 1,
            "kind": "opportunity" if n % 5 == 0 else "risk", "description": f"Rủi ro {n}",
            "cause": "", "consequence": "", "likelihood": likelihood, "impact": impact,
            "score": likelihood * impact, "residual_likelihood": 1 if treated else None,
            "residual_impact": impact if treated else None,
            "residual_score": impact if treated else None,
            "status": ("treated" if treated else "open") if n % 10 else "closed",
            "status_note": "", "review_on": date(2027, 1 + n % 12, 1), "reviewed_on": None,
            "raised_by_id": owner_id, "raised_on": date(2026, 1, 5), "version": 1,
            "created_at": now, "updated_at": now})
    db.session.execute(insert(Risk), risks)
    objectives = [{"year": year, "department_id": d + 1, "statement_vi": f"Mục tiêu {n}",
                   "statement_en": f"Objective {n}", "measurement": "manual", "target": 100.0,
                   "unit": "%", "direction": "higher", "evaluation_comment": "", "version": 1,
                   "result": None if year == 2026 else "achieved", "created_at": now,
                   "updated_at": now}
                  for year in range(2022, 2027) for d in range(DEPARTMENTS)
                  for n in range(OBJECTIVES)]
    db.session.execute(insert(Objective), objectives)
    db.session.execute(insert(PlanItem), [
        {"objective_id": i, "description": "Bước", "resources": "", "owner_id": owner_id,
         "due_on": date(2026, 6, 30), "evaluation_method": "", "done": i % 2 == 0,
         "created_at": now, "version": 1} for i in range(1, len(objectives) + 1)])


# The same figures in bare SQL: what the dashboard's charts and the report's quality part add
# up, as one statement each, read to the last row.
BARE_DASHBOARD = [
    "SELECT department_id, COALESCE(result, 'open'), count(*) FROM quality_objective"
    " WHERE year = 2026 GROUP BY department_id, COALESCE(result, 'open')",
    "SELECT department_id, CASE WHEN score <= 4 THEN 'low' WHEN score <= 9 THEN 'medium'"
    " WHEN score <= 16 THEN 'high' ELSE 'very_high' END, count(*) FROM risk"
    " WHERE status != 'closed' GROUP BY 1, 2",
    "SELECT likelihood, impact, count(*) FROM risk WHERE status != 'closed' AND kind = 'risk'"
    " GROUP BY likelihood, impact",
    "SELECT department_id, count(*) FROM corrective_action WHERE status != 'closed'"
    " GROUP BY department_id",
    "SELECT v.measure_id, v.period, v.value, v.target FROM measure_value v WHERE"
    " v.measure_id IN (SELECT m.id FROM measure m JOIN process p ON p.id = m.process_id"
    " WHERE m.active AND m.id IN (SELECT measure_id FROM measure_value WHERE missed"
    " AND period_start >= '2026-01-01' AND period_start <= '2026-11-15')"
    " ORDER BY p.department_id, m.code LIMIT 12)"
    " AND v.period_start >= '2026-01-01' AND v.period_start <= '2026-11-15'",
]
BARE_REPORT = [
    *BARE_DASHBOARD[:3],
    "SELECT v.measure_id, v.period, v.value, v.target FROM measure_value v WHERE"
    " v.measure_id IN (SELECT m.id FROM measure m JOIN process p ON p.id = m.process_id"
    " WHERE m.active AND m.id IN (SELECT measure_id FROM measure_value WHERE missed"
    " AND period_start >= '2026-07-01' AND period_start <= '2026-11-15')"
    " ORDER BY p.department_id, m.code LIMIT 12)"
    " AND v.period_start >= '2026-07-01' AND v.period_start <= '2026-11-15'",
]


def _bare(statements: list[str]) -> None:
    for statement in statements:
        db.session.execute(text(statement)).all()
    db.session.rollback()


def _get(client, url: str, mimetype: str) -> None:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == mimetype, response.status
    response.get_data()


def run(database: str) -> dict:
    """Seed, then time the dashboard and the report beside their bare SQL."""
    folder = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    url = _fresh_pg(PG_URL) if database == "postgresql" \
        else f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"),
                      "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "PASSWORD_HASH_COST": "test"})
    clock.set(NOW)
    try:
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            with unit_of_work():
                email = _seed()
            seeded = time.perf_counter() - started
            values = db.session.scalar(text("SELECT count(*) FROM measure_value"))
            risks = db.session.scalar(text("SELECT count(*) FROM risk"))
            db.session.remove()
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        report = "/reports/six-monthly/organisation.pdf?period=2026-H2&lang=vi"
        # Warm: templates compiled, caches filled, the PDF render child started.
        _get(client, "/monitoring", "text/html")
        _get(client, report, "application/pdf")
        results = {"database": database, "values": values, "risks": risks, "seed_s": seeded,
                   "dashboard": timed(lambda: _get(client, "/monitoring", "text/html"), 20),
                   "report": timed(lambda: _get(client, report, "application/pdf"), 5)}
        with app.app_context():
            results["bare_dashboard"] = timed(lambda: _bare(BARE_DASHBOARD), 20)
            results["bare_report"] = timed(lambda: _bare(BARE_REPORT), 20)
            db.session.remove()
            db.engine.dispose()
    finally:
        clock.reset()
        shutil.rmtree(folder, ignore_errors=True)
    return results


def lines(r: dict) -> list[str]:
    """The figures as docs/performance.md shows them."""
    dashboard, report = r["dashboard"]["p50_ms"], r["report"]["p50_ms"] / 1000
    return [
        f"Dashboard benchmark — {r['values']:,} measure values, {r['risks']:,} risks, "
        f"{r['database']}, {date.today().isoformat()}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end (seeded in {r['seed_s']:.0f} s)",
        "",
        "| measure | figure | limit | beside: bare SQL of the same figures |",
        "|---|---|---|---|",
        f"| monitoring dashboard, server time (20 requests) | p50 {dashboard:.0f} ms, p95 "
        f"{r['dashboard']['p95_ms']:.0f} ms | {DASHBOARD_MS:.0f} ms: "
        f"{'ok' if dashboard <= DASHBOARD_MS else 'OVER'} | p50 "
        f"{r['bare_dashboard']['p50_ms']:.1f} ms |",
        f"| six-monthly report PDF, whole organisation (5 requests) | p50 {report:.2f} s, "
        f"p95 {r['report']['p95_ms'] / 1000:.2f} s | {REPORT_S:.0f} s: "
        f"{'ok' if report <= REPORT_S else 'OVER'} | p50 {r['bare_report']['p50_ms']:.1f} ms |",
    ]


def write_docs(results: dict) -> None:
    """Replace the dashboard section of docs/performance.md with these figures."""
    block = "\n".join([BEGIN, *lines(results), END])
    current = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    updated = pattern.sub(lambda _m: block, current) if pattern.search(current) else \
        current.rstrip() + "\n\n" + block + "\n"
    DOCS.write_text(updated)


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--write-docs", action="store_true")
    options = parser.parse_args()
    results = run(options.database)
    print("\n".join(lines(results)))
    if options.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
