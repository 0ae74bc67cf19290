"""The oversight overview at size: a province of 200 organisations (the province, 9 districts,
190 communes), each with its departments, documents (one in ten overdue for review), this
year's audit programme, corrective actions and objectives. The overview page's server time
(limit 300 ms) is timed through the app in-process, beside the bare SQL of the same figures.

    .venv/bin/python -m bench.oversight [--documents 500] [--database postgresql] [--write-docs]

The database is made afresh each run (SQLite under /tmp, or the PostgreSQL database below).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bench.measures_import import _fresh_pg
from bench.report import timed
from compliance.app import create_app
from compliance.audits.models import Audit, AuditProgramme
from compliance.audits.services import grades
from compliance.auth import services as users
from compliance.capa.models import CorrectiveAction
from compliance.core import clock
from compliance.core.db import utcnow
from compliance.core.extensions import db
from compliance.core.uow import unit_of_work
from compliance.documents.models import Document
from compliance.installation.models import OversightGrant
from compliance.org import organisations
from compliance.org.models import Department, Organisation
from compliance.quality.objectives.models import Objective

OVERVIEW_MS = 300.0
DISTRICTS, COMMUNES = 9, 190
DEPARTMENTS, AUDITS, ACTIONS, OBJECTIVES = 3, 4, 10, 5
NOW = datetime(2026, 11, 15, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
TODAY = date(2026, 11, 15)
PG_URL = "postgresql://postgres@127.0.0.1:5432/compliance_bench_oversight"
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway database's only user
DOCS = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
BEGIN, END = "<!-- bench:oversight:begin -->", "<!-- bench:oversight:end -->"


def _organisations(now) -> list[int]:
    """The province (the default organisation), its districts and their communes; the ids."""
    root = organisations.load_default().id
    rows = [{"code": f"H{n:02d}", "name_vi": f"Huyện {n}", "name_en": f"District {n}",
             "parent_id": root} for n in range(DISTRICTS)]
    db.session.execute(insert(Organisation), [
        {**row, "time_zone": "Asia/Ho_Chi_Minh", "document_code_pattern": "", "version": 1,
         "created_at": now, "updated_at": now} for row in rows])
    districts = list(db.session.scalars(text("SELECT id FROM organisation WHERE id <> :root "
                                             "ORDER BY id"), {"root": root}))
    db.session.execute(insert(Organisation), [
        {"code": f"X{n:03d}", "name_vi": f"Xã {n}", "name_en": f"Commune {n}",
         "parent_id": districts[n % DISTRICTS], "time_zone": "Asia/Ho_Chi_Minh",
         "document_code_pattern": "", "version": 1, "created_at": now, "updated_at": now}
        for n in range(COMMUNES)])
    return list(db.session.scalars(text("SELECT id FROM organisation ORDER BY id")))


def _seed(documents: int) -> str:
    """Every organisation's rows, by bulk inserts; the overseer's e-mail."""
    now = utcnow()
    ids = _organisations(now)
    for organisation_id in ids:  # each its own grades, which its corrective actions name
        grades.load_defaults(organisation_id)
    overseer = users.create_user(None, "inspector@bench.example", "Inspector", PASSWORD, "vi",
                                 ["coordinator"], check=False)
    db.session.add(OversightGrant(user_id=overseer.id, organisation_id=ids[0]))
    db.session.execute(insert(Department), [
        {"organisation_id": org, "code": f"D{d}", "name_vi": f"Phòng {d}",
         "name_en": f"Office {d}", "active": True, "version": 1, "created_at": now,
         "updated_at": now,
         "certificate_expires_on": TODAY + timedelta(days=30 + (org * 7 + d) % 700)}
        for org in ids for d in range(DEPARTMENTS)])
    department = {(row.organisation_id, row.code): row.id for row in db.session.execute(
        text("SELECT id, organisation_id, code FROM department"))}
    _documents(ids, department, overseer.id, documents, now)
    _audits_actions_objectives(ids, department, overseer.id, now)
    return overseer.email


def _documents(ids, department, owner_id: int, documents: int, now) -> None:
    """Each organisation's documents, one organisation's batch at a time (a million rows
    built at once would not fit in memory)."""
    for org in ids:
        db.session.execute(insert(Document), [
            {"organisation_id": org, "code": f"QT-{n:05d}", "doc_type": "procedure",
             "department_id": department[(org, f"D{n % DEPARTMENTS}")],
             "title_vi": f"Quy trình {n}", "title_en": f"Procedure {n}", "owner_id": owner_id,
             "status": "effective", "review_interval_months": 12, "is_public": False,
             "version": 1, "created_at": now, "updated_at": now,
             # One in ten overdue for review.
             "next_review_date": TODAY - timedelta(days=5) if n % 10 == 0
             else TODAY + timedelta(days=30 + n % 300)}
            for n in range(documents)])


def _audits_actions_objectives(ids, department, owner_id: int, now) -> None:
    db.session.execute(insert(AuditProgramme), [
        {"organisation_id": org, "title": "Chương trình 2026", "period_start": date(2026, 1, 1),
         "period_end": date(2026, 12, 31), "notes": "", "version": 1, "created_at": now,
         "updated_at": now} for org in ids])
    programme = dict(db.session.execute(text("SELECT organisation_id, id FROM audit_programme")
                                        ).all())
    db.session.execute(insert(Audit), [
        {"organisation_id": org, "reference": f"DG-{n}", "programme_id": programme[org],
         "department_id": department[(org, f"D{n % DEPARTMENTS}")],
         "planned_start": date(2026, 3 + n, 1), "planned_end": date(2026, 3 + n, 2),
         "lead_auditor_id": owner_id, "status": "closed" if n < 2 else "planned",
         "criteria": "", "scope_note": "", "version": 1, "created_at": now, "updated_at": now}
        for org in ids for n in range(AUDITS)])
    db.session.execute(insert(CorrectiveAction), [
        {"organisation_id": org, "reference": f"KP-{n}", "source": "other",
         "department_id": department[(org, f"D{n % DEPARTMENTS}")], "grade": "major",
         "problem": f"Sự không phù hợp {n}", "raised_by_id": owner_id,
         "raised_on": TODAY - timedelta(days=40), "target_on": TODAY - timedelta(days=10 - n),
         "status": "closed" if n < 3 else "open", "version": 1, "created_at": now,
         "updated_at": now}
        for org in ids for n in range(ACTIONS)])
    db.session.execute(insert(Objective), [
        {"organisation_id": org, "year": 2026, "department_id": None,
         "statement_vi": f"Mục tiêu {n}", "statement_en": f"Objective {n}",
         "measurement": "manual", "unit": "%", "direction": "higher", "evaluation_comment": "",
         "result": (None, "achieved", "not_achieved")[n % 3], "version": 1,
         "created_at": now, "updated_at": now}
        for org in ids for n in range(OBJECTIVES)])


# The same figures in bare SQL, one grouped statement each, read to the last row.
BARE = [
    "SELECT id, code, name_vi, name_en, parent_id FROM organisation ORDER BY code",
    "SELECT organisation_id FROM oversight_grant WHERE user_id = 1",
    "SELECT organisation_id, min(certificate_expires_on) FROM department WHERE active"
    " GROUP BY organisation_id",
    "SELECT organisation_id, count(*) FROM document WHERE status = 'effective'"
    " AND next_review_date < '2026-11-15' GROUP BY organisation_id",
    "SELECT organisation_id, count(*), sum(CASE WHEN status IN ('reported', 'closed') THEN 1"
    " ELSE 0 END) FROM audit WHERE status <> 'cancelled' AND planned_start >= '2026-01-01'"
    " AND planned_start <= '2026-12-31' GROUP BY organisation_id",
    "SELECT organisation_id, count(*), sum(CASE WHEN status IN ('open', 'contained',"
    " 'analysed') AND target_on < '2026-11-15' THEN 1 ELSE 0 END) FROM corrective_action"
    " WHERE status <> 'closed' GROUP BY organisation_id",
    "SELECT organisation_id, result, count(*) FROM quality_objective WHERE year = 2026"
    " GROUP BY organisation_id, result",
]


def _bare() -> None:
    for statement in BARE:
        db.session.execute(text(statement)).all()
    db.session.rollback()


def _overview(client) -> None:
    response = client.get("/oversight/")
    assert response.status_code == 200, response.status
    body = response.get_data(as_text=True)
    assert body.count('data-testid="oversight-row-') == DISTRICTS + COMMUNES + 1


def run(database: str, documents: int) -> dict:
    """Seed, then time the overview beside its bare SQL."""
    folder = Path(tempfile.mkdtemp(prefix="bench-oversight-"))
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
                email = _seed(documents)
            seeded = time.perf_counter() - started
            if database == "postgresql":
                # What autovacuum would have done after a load: the planner's statistics.
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            counts = {name: db.session.scalar(text(f"SELECT count(*) FROM {name}"))  # noqa: S608
                      for name in ("organisation", "document")}
            db.session.remove()
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        _overview(client)  # warm: templates compiled
        results = {"database": database, **counts, "seed_s": seeded,
                   "overview": timed(lambda: _overview(client), 20)}
        with app.app_context():
            results["bare"] = timed(_bare, 20)
            db.session.remove()
            db.engine.dispose()
    finally:
        clock.reset()
        shutil.rmtree(folder, ignore_errors=True)
    return results


def lines(r: dict) -> list[str]:
    """The figures as docs/performance.md shows them."""
    overview = r["overview"]["p50_ms"]
    return [
        f"Oversight benchmark — {r['organisation']:,} organisations, {r['document']:,} "
        f"documents, {r['database']}, {date.today().isoformat()}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end (seeded in {r['seed_s']:.0f} s)",
        "",
        "| measure | figure | limit | beside: bare SQL of the same figures |",
        "|---|---|---|---|",
        f"| oversight overview, server time (20 requests) | p50 {overview:.0f} ms, p95 "
        f"{r['overview']['p95_ms']:.0f} ms | {OVERVIEW_MS:.0f} ms: "
        f"{'ok' if overview <= OVERVIEW_MS else 'OVER'} | p50 {r['bare']['p50_ms']:.1f} ms |",
    ]


def write_docs(results: dict) -> None:
    """Replace this benchmark's block of docs/performance.md (or add it) with these figures."""
    tag = f"{BEGIN[:-4]}:{results['database']} -->"
    begin, end = tag, tag.replace(":begin", ":end")
    block = "\n".join([begin, *lines(results), end])
    current = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    updated = pattern.sub(lambda _m: block, current) if pattern.search(current) else \
        current.rstrip() + "\n\n" + block + "\n"
    DOCS.write_text(updated)


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--documents", type=int, default=500,
                        help="documents per organisation (default 500: 100,000 in all)")
    parser.add_argument("--write-docs", action="store_true")
    options = parser.parse_args()
    results = run(options.database, options.documents)
    print("\n".join(lines(results)))
    if options.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
