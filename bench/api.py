"""API benchmark (issue 15): GET /api/v1/documents/ on 100,000 documents, its first page and
a page deep down the cursor, under gunicorn (2 workers) with wrk at concurrency 16 and a
read token, each round beside a bare Flask JSON endpoint of the same rows (the floor).

    .venv/bin/python -m bench.api [--database sqlite|postgresql|both] [--rounds 3]
        [--seconds 10] [--rows 100000] [--reseed] [--write-docs]

The seeded database is kept (instance/bench-api/ for SQLite, the PostgreSQL database
compliance_bench_api) and reused while it holds the rows asked for; --reseed fills it again.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import urllib.request
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from bench import register, report

INSTANCE = Path(__file__).resolve().parent.parent / "instance" / "bench-api"
PG_NAME = "compliance_bench_api"
PAGE = 50
TARGET_RPS, TARGET_P99_MS = 1000, 50.0


def _app(env: dict[str, str]):
    from compliance import create_app

    return create_app({"DATABASE_URL": env["COMPLIANCE_DATABASE_URL"],
                       "INSTANCE_PATH": env["COMPLIANCE_INSTANCE_PATH"]})


def _documents(env: dict[str, str]) -> int | None:
    """How many documents the benchmark database holds (None: no such database yet)."""
    from compliance.core.extensions import db
    from compliance.documents.models import Document

    try:
        with _app(env).app_context():
            return db.session.scalar(select(func.count()).select_from(Document))
    except SQLAlchemyError:
        return None


def seeded(database: str, rows: int, reseed: bool) -> dict[str, str]:
    """The environment of a benchmark database holding `rows` documents, filled only when
    it does not hold them yet (or when asked to)."""
    instance = INSTANCE / database
    instance.mkdir(parents=True, exist_ok=True)
    env = register.environment(database, instance, PG_NAME)
    if not reseed and _documents(env) == rows:
        print(f"{database}: reusing the {rows:,} documents seeded before (--reseed to redo)")
        return env
    return register.prepare(database, rows, instance, PG_NAME)


def read_token(env: dict[str, str]) -> str:
    """A fresh read token of the benchmark's coordinator."""
    from compliance.auth import tokens
    from compliance.auth.models import User
    from compliance.core.extensions import db

    with _app(env).app_context():
        user = db.session.scalar(select(User).where(User.email == "bench@example.test"))
        _token, secret = tokens.create(user, "bench.api", "read", days=1)
        db.session.commit()
    return secret


def _check(url: str, header: str) -> None:
    """One request before the load: 200, a full page and a next link, or stop."""
    name, _sep, value = header.partition(": ")
    with urllib.request.urlopen(urllib.request.Request(url, headers={name: value})) as answer:  # noqa: S310
        rows = json.loads(answer.read())
        assert answer.status == 200 and len(rows) == PAGE, (url, answer.status, len(rows))


def measure(env: dict[str, str], rounds: int, seconds: int, deep_page: int) -> list[dict]:
    """Rounds of (floor, first page, deep page), the two servers up side by side so each
    round's figures share the machine's state."""
    auth = f"Authorization: Bearer {read_token(env)}"
    cursor = register.deep_cursor(env, (deep_page - 1) * PAGE - 1)
    api_port, floor_port = register.free_port(), register.free_port()
    api = register.start_server(env, api_port, probe="/api/v1/openapi.json")
    floor = register.start_server(env, floor_port, "bench.baseline_app:create_app()", "/json")
    base = f"http://127.0.0.1:{api_port}/api/v1/documents/"
    urls = {"floor": f"http://127.0.0.1:{floor_port}/json", "first": base,
            "deep": f"{base}?cursor={cursor}"}
    found = []
    try:
        _check(urls["first"], auth)
        _check(urls["deep"], auth)
        for _ in range(rounds):
            found.append({name: register.wrk(url, "", seconds, header=auth)
                          for name, url in urls.items()})
            print("  " + _round_line(found[-1]))
    finally:
        for server in (api, floor):
            server.terminate()
            server.wait(timeout=30)
    return found


def _round_line(r: dict) -> str:
    return " | ".join(f"{name} {m['rps']:.0f} req/s p50 {m['p50_ms']:.1f} p99 "
                      f"{m['p99_ms']:.1f} ms" for name, m in r.items())


def _median(rounds: list[dict], name: str, key: str) -> float:
    return statistics.median(r[name][key] for r in rounds)


def lines(results: dict, args) -> list[str]:
    """The figures as a Markdown table, with the command and the machine's state."""
    out = [f"API benchmark — {args.rows:,} documents, {date.today().isoformat()}, "
           f"{os.cpu_count()} cores, load average {results['load'][0]:.1f} before and "
           f"{os.getloadavg()[0]:.1f} after; median of {args.rounds} rounds of "
           f"{args.seconds} s, page {args.deep_page} deep",
           "", "`.venv/bin/python -m bench.api --database " + args.database
           + f" --rounds {args.rounds} --seconds {args.seconds}`", "",
           "| database | page | req/s | p50 ms | p99 ms | errors | × floor (same round) |",
           "|---|---|---|---|---|---|---|"]
    for database, rounds in results["databases"].items():
        for name, label in (("floor", "bare Flask JSON, same rows"),
                            ("first", "API first page"), ("deep", f"API page {args.deep_page}")):
            ratio = statistics.median(r[name]["rps"] / r["floor"]["rps"] for r in rounds)
            out.append(f"| {database} | {label} | {_median(rounds, name, 'rps'):.0f} | "
                       f"{_median(rounds, name, 'p50_ms'):.1f} | "
                       f"{_median(rounds, name, 'p99_ms'):.1f} | "
                       f"{sum(r[name]['errors'] for r in rounds)} | {ratio:.2f} |")
        deep = statistics.median(r["deep"]["rps"] / r["first"]["rps"] for r in rounds)
        met = (_median(rounds, "first", "rps") >= TARGET_RPS
               and _median(rounds, "first", "p99_ms") <= TARGET_P99_MS)
        out.append(f"| {database} | deep ÷ first | {deep:.2f} | | | | target "
                   f"{TARGET_RPS} req/s, p99 ≤ {TARGET_P99_MS:.0f} ms: "
                   f"{'met' if met else 'not met'} |")
    return out


def main() -> None:
    """Run the benchmark and print (and optionally record) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--deep-page", type=int, default=500)
    parser.add_argument("--reseed", action="store_true", help="fill the database again")
    parser.add_argument("--write-docs", action="store_true",
                        help="record the figures in docs/performance.md")
    args = parser.parse_args()
    results = {"load": os.getloadavg(), "databases": {}}
    for database in (("sqlite", "postgresql") if args.database == "both" else (args.database,)):
        env = seeded(database, args.rows, args.reseed)
        print(f"{database}:")
        results["databases"][database] = measure(env, args.rounds, args.seconds,
                                                 args.deep_page)
    print("\n".join(lines(results, args)))
    if args.write_docs:
        report.write_block("api", lines(results, args))


if __name__ == "__main__":
    main()
