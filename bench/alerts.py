"""Review-alert sweep benchmark: 100,000, 1,000,000 and 5,000,000 documents with 1,000 due,
the sweep's queries beside the bare indexed query, the whole job run twice, and a day when
nothing is due.

    .venv/bin/python -m bench.alerts [--sizes 100000,1000000,5000000] [--database postgresql]
                                     [--write-docs]

Seeded databases are kept under /tmp (SQLite) and reused when their size matches.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, insert, select, text

from compliance.auth.models import User, UserRole
from compliance.core.extensions import db
from compliance.org.models import Department

# The sweep day and the documents' dates are fixed, so a kept database stays valid.
SWEEP_DAY = date(2026, 12, 1)
QUIET_DAY = SWEEP_DAY - timedelta(days=60)  # nothing in the window, nothing overdue
OWNERS = 100
DOCS = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
MARKERS = "<!-- bench:alerts:{database}:begin -->", "<!-- bench:alerts:{database}:end -->"
PG_URL = "postgresql://postgres@127.0.0.1:5432/compliance_bench_alerts"


def _people() -> None:
    departments = [Department(code=f"D{n:02d}", name_vi=f"Phòng {n}", name_en=f"Office {n}")
                   for n in range(20)]
    db.session.add_all(departments)
    db.session.add(User(email="coordinator@bench.test", name="Coordinator", locale="vi",
                        password_hash="-",  # noqa: S106 - nobody signs in here
                        roles=[UserRole(role="coordinator")]))
    db.session.execute(insert(User), [
        {"email": f"owner{n}@bench.test", "name": f"Owner {n}", "locale": "en",
         "password_hash": "x", "active": True, "email_mode": "immediate", "version": 1,
         "created_at": datetime.now(UTC), "updated_at": datetime.now(UTC)}
        for n in range(OWNERS)])
    db.session.flush()


# n = 1 … rows; the first `due` documents fall due over the 31 days of the review window,
# every other one later (31 … 730 days on): none is overdue on the sweep day.
_SELECT = """
SELECT n, 'QT-' || {pad}, 'procedure', 1 + (n % 20), 'Quy trình ' || n, 'Procedure ' || n,
       2 + (n % {owners}), 'effective', 12, {false}, 1,
       CASE WHEN n <= :due THEN {soon} ELSE {later} END, :now, :now
"""
_COLUMNS = ("id, code, doc_type, department_id, title_vi, title_en, owner_id, status, "
            "review_interval_months, is_public, version, next_review_date, created_at, "
            "updated_at")


def _seed_sqlite(rows: int, due: int) -> None:
    connection = db.session.connection()
    # Building the indexes once after the load is several times faster than row by row.
    indexes = connection.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'document' "
        "AND sql IS NOT NULL")).all()
    for name, _sql in indexes:
        connection.execute(text(f'DROP INDEX "{name}"'))
    select_sql = _SELECT.format(pad="printf('%08d', n)", owners=OWNERS, false=0,
                                soon="date(:day, '+' || (n % 31) || ' days')",
                                later="date(:day, '+' || (31 + n % 700) || ' days')")
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    for start in range(0, rows, 500_000):
        connection.execute(text(
            f"INSERT INTO document ({_COLUMNS}) WITH RECURSIVE seq(n) AS "  # noqa: S608
            f"(SELECT :first UNION ALL SELECT n + 1 FROM seq WHERE n < :last) {select_sql} "
            "FROM seq"), {"first": start + 1, "last": min(rows, start + 500_000), "due": due,
                          "day": SWEEP_DAY.isoformat(), "now": now})
    for _name, sql in indexes:
        connection.execute(text(sql))
    connection.execute(text("ANALYZE"))


def _seed_postgresql(rows: int, due: int) -> None:
    select_sql = _SELECT.format(pad="lpad(n::text, 8, '0')", owners=OWNERS, false="false",
                                soon="CAST(:day AS date) + n % 31",
                                later="CAST(:day AS date) + 31 + n % 700")
    db.session.execute(text(f"INSERT INTO document ({_COLUMNS}) {select_sql} "
                            "FROM generate_series(1, :rows) AS n"),
                       {"rows": rows, "due": due, "day": SWEEP_DAY, "now": datetime.now(UTC)})
    db.session.commit()
    # As a database that has been running a while: statistics and the visibility map set.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def _pg_database(url: str) -> str:
    """Create the benchmark's own PostgreSQL database when it is missing."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from compliance.config import normalise_database_url

    url = normalise_database_url(url)
    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url


def prepare(database: str, rows: int, due: int, data_dir: Path, pg_url: str):
    """An app on a database of `rows` documents (made once, then reused)."""
    from compliance import create_app
    from compliance.documents.models import Document

    if database == "sqlite":
        url = f"sqlite:///{data_dir / f'compliance-bench-alerts-{rows}-{due}.sqlite'}"
    else:
        url = _pg_database(pg_url)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(data_dir / "bench-instance"),
                      "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING", "SMTP_HOST": ""})
    with app.app_context():
        db.create_all()
        if db.session.scalar(select(func.count()).select_from(Document)) == rows:
            print(f"reusing {rows:,} documents ({url})")
            return app
        if database == "postgresql":
            db.session.execute(text("TRUNCATE notification, document, membership, user_role, "
                                    '"user", department RESTART IDENTITY CASCADE'))
        started = time.perf_counter()
        _people()
        (_seed_sqlite if database == "sqlite" else _seed_postgresql)(rows, due)
        db.session.commit()
        print(f"seeded {rows:,} documents in {time.perf_counter() - started:.0f} s")
    return app


def _time(function, repeat: int) -> dict[str, float]:
    for _ in range(5):  # warm the caches and the statement cache first
        function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50": statistics.median(samples),
            "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]}


def _window(day: date) -> tuple[date, date]:
    from compliance.notifications.recipients import days_setting

    return day, day + timedelta(days=max(days_setting("ALERT_REVIEW_DAYS")))


def bare_query(day: date):
    """The range read on the (status, next_review_date) index, as plain SQL."""
    first, last = _window(day)
    return db.session.execute(text(
        "SELECT id, code, title_vi, title_en, owner_id, department_id, next_review_date "
        "FROM document WHERE status = 'effective' AND next_review_date >= :first "
        "AND next_review_date <= :last ORDER BY next_review_date, id"),
        {"first": first, "last": last}).all()


def sweep_keys(day: date) -> list[tuple[int, str]]:
    """The (owner, dedupe key) pairs the job builds for the documents due on `day`."""
    from compliance.documents import queries

    return [(r.owner_id, f"document:{r.id}:review_due:{r.next_review_date}:30d")
            for r in queries.reviews_due_by(day, _window(day)[1])]


def sweep_queries(day: date, pairs: list[tuple[int, str]]) -> int:
    """The statements review_alerts sends: the due range and the dedupe lookup of its pairs.

    The pairs are built beforehand (sweep_keys): making a thousand key strings in Python is
    the job's own work, counted in the job figures, not query work.
    """
    from compliance.documents import queries
    from compliance.notifications.services import not_raised

    rows = queries.reviews_due_by(day, _window(day)[1])
    not_raised(pairs)
    return len(rows)


def _at(day: date) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, datetime.min.time().replace(hour=6),
                            ZoneInfo("Asia/Ho_Chi_Minh")).astimezone(UTC)


def measure(app, rows: int, due: int, repeat: int) -> dict:
    """Every figure for one database size."""
    from compliance.core.jobs import job, run_job
    from compliance.notifications.models import Notification

    sweep = job(app, "alerts.reviews")
    result: dict = {"rows": rows, "due": due}
    with app.app_context():
        assert len(bare_query(SWEEP_DAY)) == due
        assert len(bare_query(QUIET_DAY)) == 0

    def first_run():
        with app.app_context():
            db.session.execute(delete(Notification))
            db.session.commit()
        started = time.perf_counter()
        ok, result = run_job(app, sweep, _at(SWEEP_DAY))
        assert ok and result.params == {"count": due}, result
        return (time.perf_counter() - started) * 1000

    firsts = sorted(first_run() for _ in range(max(3, repeat // 10)))
    result["job_first"] = {"p50": statistics.median(firsts), "p95": firsts[-1]}
    result["job_second"] = _time(lambda: _check(run_job(app, sweep, _at(SWEEP_DAY))), repeat)
    result["job_quiet"] = _time(lambda: _check(run_job(app, sweep, _at(QUIET_DAY))), repeat)
    with app.app_context():
        pairs = sweep_keys(SWEEP_DAY)
        assert sweep_queries(SWEEP_DAY, pairs) == due
        result["bare"] = _time(lambda: bare_query(SWEEP_DAY), repeat)
        result["sweep"] = _time(lambda: sweep_queries(SWEEP_DAY, pairs), repeat)
        result["bare_quiet"] = _time(lambda: bare_query(QUIET_DAY), repeat)
        result["sweep_quiet"] = _time(lambda: sweep_queries(QUIET_DAY, []), repeat)
        db.session.rollback()
    return result


def _check(outcome) -> None:
    ok, result = outcome
    assert ok and result.params == {"count": 0}, result


def lines(results: list[dict], database: str, load: tuple[float, float]) -> list[str]:
    """The figures as a Markdown table."""
    import platform

    results = sorted(results, key=lambda r: r["rows"])
    out = [f"Review-alert sweep — {database}, {date.today().isoformat()}, "
           f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
           f"load average {load[0]:.1f} at the start and {load[1]:.1f} at the end "
           "(other work shared the machine). Times in ms, median / p95.",
           "",
           "- *bare indexed query*: the due range on the (status, next_review_date) index as "
           "plain SQL, 1,000 rows back;",
           "- *sweep's queries*: the statements review_alerts sends — one range of that index "
           "from the oldest overdue review to the end of the window "
           "(compliance.documents.queries.reviews_due_by, with its row decoding), and the "
           "dedupe lookup of its 1,000 (owner, key) pairs against notifications already "
           "raised (compliance.notifications.services.alerts.not_raised);",
           "- *job*: `run_job(app, job(app, \"alerts.reviews\"), now)` whole (transaction, key and "
           "link building, inserts, the scheduler page's record); first run = 1,000 new "
           "notifications (email off), second run = nothing new;",
           "- *nothing due*: the same on a day 60 days earlier, when no review is in the "
           "window or overdue.",
           "",
           "| documents | due | bare indexed query | sweep's queries | job, first run | "
           "job, second run (nothing new) | nothing due: bare | nothing due: sweep's "
           "queries | nothing due: job |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        cells = [f"{r['rows']:,}", f"{r['due']:,}"] + [
            f"{r[k]['p50']:.2f} / {r[k]['p95']:.2f}"
            for k in ("bare", "sweep", "job_first", "job_second", "bare_quiet", "sweep_quiet",
                      "job_quiet")]
        out.append("| " + " | ".join(cells) + " |")
    if len(results) > 1:
        small, large = results[0], results[-1]
        out += ["", f"Growth of the sweep's queries from {small['rows']:,} to "
                f"{large['rows']:,} documents at the same due count: "
                f"{large['sweep']['p50'] / small['sweep']['p50']:.2f}× (median); "
                f"nothing due: {large['sweep_quiet']['p50'] / small['sweep_quiet']['p50']:.2f}×."]
    return out


def write_docs(block_lines: list[str], database: str) -> None:
    """Replace this database's alerts section of docs/performance.md (added if missing)."""
    import re

    begin, end = (marker.format(database=database) for marker in MARKERS)
    block = "\n".join([begin, *block_lines, end])
    current = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    updated = pattern.sub(lambda _m: block, current) if pattern.search(current) else \
        current.rstrip() + "\n\n" + block + "\n"
    DOCS.write_text(updated)


def main() -> None:
    """Seed (or reuse), measure each size, print, and optionally record the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000,5000000")
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_URL))
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp"),  # noqa: S108
                        help="where the SQLite databases are kept between runs")
    parser.add_argument("--seed-only", action="store_true",
                        help="only make (or check) the databases")
    parser.add_argument("--write-docs", action="store_true",
                        help="record the figures in docs/performance.md")
    args = parser.parse_args()
    start_load = os.getloadavg()[0]
    results = []
    for rows in (int(size) for size in args.sizes.split(",")):
        app = prepare(args.database, rows, args.due, args.data_dir, args.pg_url)
        if args.seed_only:
            continue
        results.append(measure(app, rows, args.due, args.repeat))
        with app.app_context():
            db.engine.dispose()
        print("\n".join(lines(results[-1:], args.database, (start_load, os.getloadavg()[0]))))
    if not results:
        return
    block = lines(results, args.database, (start_load, os.getloadavg()[0]))
    print("\n".join(block))
    if args.write_docs:
        write_docs(block, args.database)


if __name__ == "__main__":
    main()
