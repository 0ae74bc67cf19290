"""Measurements beside the HTTP figures, the printed table and docs/performance.md."""

from __future__ import annotations

import os
import platform
import re
import statistics
import time
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import text

DOCS = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def timed(fn, repeat: int = 50) -> dict[str, float]:
    """p50 and p95 wall time of `repeat` calls of fn, in milliseconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": statistics.median(samples),
            "p95_ms": samples[max(int(len(samples) * 0.95) - 1, 0)]}


def bare_queries(env: dict[str, str], rows: int, rare_terms) -> dict:
    """The register's own query path in-process, and the bare SQL that serves it."""
    from compliance import create_app
    from compliance.auth.models import User
    from compliance.core.extensions import db
    from compliance.documents import queries

    app = create_app({"DATABASE_URL": env["COMPLIANCE_DATABASE_URL"],
                      "INSTANCE_PATH": env["COMPLIANCE_INSTANCE_PATH"]})
    out = {}
    with app.test_request_context():
        user = db.session.query(User).one()
        f = queries.RegisterFilter(status="effective", sort="code")
        out["service_first"] = timed(lambda: queries.register_page(user, f))
        bare = text("SELECT d.id, d.code, d.title_vi, r.label FROM document d LEFT JOIN revision r"
                    " ON r.document_id = d.id AND r.status = 'effective' WHERE d.status ="
                    " 'effective' ORDER BY d.code, d.id LIMIT 51")
        out["bare_first"] = timed(lambda: db.session.execute(bare).all())
        terms = iter(list(rare_terms) * 100)
        out["service_search"] = timed(lambda: queries.register_page(
            user, queries.RegisterFilter(q=next(terms))))
        out["bare_search"] = timed(lambda: db.session.execute(
            queries.search.matching_ids(next(terms)).limit(1000)).all())
    return out


def search_over_http(port: int, cookie: str, terms, repeat: int = 60) -> dict[str, float]:
    """Search page latency seen by a browser, one request at a time."""
    cycle = iter(list(terms) * repeat)

    def one():
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/documents/?q={quote(next(cycle))}",
            headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as response:  # noqa: S310 - our own server
            response.read()

    return timed(one, repeat)


def _lines(r: dict) -> list[str]:
    return [
        f"Register benchmark — {r['rows']:,} documents, {r['database']}, "
        f"{date.today().isoformat()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end",
        "",
        "| measure | figure | beside |",
        "|---|---|---|",
        f"| first page, gunicorn 2 workers, wrk c=16 | {r['first']['rps']:.0f} req/s, "
        f"p99 {r['first']['p99_ms']:.1f} ms, {r['first']['errors']} errors | minimal Flask + "
        f"SQLAlchemy page of the same rows: {r['floor']['rps']:.0f} req/s, p99 "
        f"{r['floor']['p99_ms']:.1f} ms; the register at "
        f"{r['first']['rps'] / r['floor']['rps']:.2f}× the floor (median of "
        f"{r.get('rounds', 1)} rounds, measured in turn) |",
        f"| page ~70,000 rows deep | {r['deep']['rps']:.0f} req/s, p99 "
        f"{r['deep']['p99_ms']:.1f} ms ({r['deep']['rps'] / r['first']['rps']:.2f}× first) | — |",
        f"| register query in-process (service) | p50 {r['service_first']['p50_ms']:.2f} ms | "
        f"bare SQL p50 {r['bare_first']['p50_ms']:.2f} ms |",
        f"| search, service in-process | p95 {r['service_search']['p95_ms']:.2f} ms | "
        f"bare full-text query p95 {r['bare_search']['p95_ms']:.2f} ms |",
        f"| search page over HTTP, one at a time | p95 {r['search_http']['p95_ms']:.1f} ms, "
        f"p50 {r['search_http']['p50_ms']:.1f} ms | — |",
    ]


def show(results: dict) -> None:
    """Print the figures."""
    print("\n".join(_lines(results)))


def write_docs(results: dict) -> None:
    """Replace the register section of docs/performance.md with these figures."""
    write_block("register", _lines(results))


def write_block(name: str, lines: list[str]) -> None:
    """Replace the block between `<!-- bench:NAME:begin/end -->` in docs/performance.md
    (appended at the end when there is none yet)."""
    begin, end = f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"
    block = "\n".join([begin, *lines, end])
    current = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    updated = pattern.sub(lambda _m: block, current) if pattern.search(current) else \
        current.rstrip() + "\n\n" + block + "\n"
    DOCS.write_text(updated)
