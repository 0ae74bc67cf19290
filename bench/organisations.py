"""Organisations benchmark (issue 14): 200 organisations × 5,000 documents on PostgreSQL,
bulk-inserted; the register's first page and a full-text search of one organisation,
against the same organisation alone in a database of its own (the ratio must stay ≤ 1.2),
each beside the bare SQL that serves it.

    .venv/bin/python -m bench.organisations [--organisations 200] [--documents 5000]
                                            [--write-docs]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import tempfile
import time
from datetime import date, timedelta

from sqlalchemy import insert, text

from bench import report
from bench.seed import RARE, WORDS

PG_BASE = "postgresql://postgres@127.0.0.1:5432/test"
BEGIN, END = "<!-- bench:organisations:begin -->", "<!-- bench:organisations:end -->"
DEPARTMENTS = 10


def _seed(organisations: int, documents: int, measured: int) -> None:
    """Organisations, each with departments and `documents` effective documents (the same
    codes in each), by bulk insert; a coordinator in the measured one."""
    from compliance.auth.models import User, UserRole
    from compliance.auth.passwords import hash_password
    from compliance.core.db import utcnow
    from compliance.core.extensions import db
    from compliance.documents.models import Document, DocumentSearch, Revision
    from compliance.documents.search import fold
    from compliance.org import clauses
    from compliance.org.models import Department, Organisation

    clauses.load()
    now, today = utcnow(), date.today()
    db.session.execute(insert(Organisation), [
        {"id": n, "code": f"O{n:03d}", "name_vi": f"Xã {n}", "name_en": f"Commune {n}",
         "time_zone": "Asia/Ho_Chi_Minh", "document_code_pattern": "", "version": 1,
         "created_at": now, "updated_at": now} for n in range(1, organisations + 1)])
    db.session.execute(insert(Department), [
        {"id": (o - 1) * DEPARTMENTS + d + 1, "organisation_id": o, "code": f"D{d:02d}",
         "name_vi": f"Phòng {d}", "name_en": f"Office {d}", "active": True, "version": 1,
         "created_at": now, "updated_at": now}
        for o in range(1, organisations + 1) for d in range(DEPARTMENTS)])
    db.session.add(User(id=1, organisation_id=measured, email="bench@example.test",
                        name="Benchmark", locale="en", password_hash=hash_password("x" * 12),
                        roles=[UserRole(role="coordinator")]))
    db.session.flush()
    rng = random.Random(9001)
    for o in range(1, organisations + 1):
        docs, revisions, searches = [], [], []
        for n in range(documents):
            ident = (o - 1) * documents + n + 1
            department = (o - 1) * DEPARTMENTS + n % DEPARTMENTS + 1
            title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
            body = " ".join(rng.choice(WORDS) for _ in range(30))
            if n % 2000 == 7:  # a rare word in a few documents of each organisation
                body += " " + RARE[(n // 2000) % len(RARE)]
            code = f"QT-D{n % DEPARTMENTS:02d}-{n:05d}"
            docs.append({"id": ident, "organisation_id": o, "code": code,
                         "doc_type": "procedure", "department_id": department,
                         "title_vi": title, "title_en": title, "owner_id": 1,
                         "status": "effective", "review_interval_months": 12,
                         "is_public": False, "version": 1,
                         "next_review_date": today + timedelta(days=n % 700),
                         "created_at": now, "updated_at": now})
            revisions.append({"document_id": ident, "number": 1, "label": "01",
                              "status": "effective", "blob_sha256": "0" * 64, "file_size": 1,
                              "file_kind": "pdf", "filename": f"{code}.pdf",
                              "change_summary": "seed", "author_id": 1, "created_at": now,
                              "effective_date": today})
            searches.append({"document_id": ident, "code": fold(code), "title": fold(title),
                             "body": fold(body)})
        db.session.execute(insert(Document), docs)
        db.session.execute(insert(Revision), revisions)
        db.session.execute(insert(DocumentSearch), searches)
        if o % 20 == 0:
            db.session.commit()
            print(f"  {o} organisations, {o * documents:,} documents", flush=True)
    db.session.commit()
    for table in ("organisation", "department", "document", "revision", "user"):
        db.session.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM "  # noqa: S608
                                f'"{table}"))'))
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def _measure(url: str, instance: str, organisation_id: int) -> dict:
    """The register's first page and a search through the services, acting for the
    organisation, beside the bare SQL."""
    from compliance import create_app
    from compliance.auth.models import User
    from compliance.core import tenancy
    from compliance.core.extensions import db
    from compliance.documents import queries

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance})
    out = {}
    with app.test_request_context():
        user = db.session.get(User, 1)
        tenancy.enter(organisation_id)
        f = queries.RegisterFilter(status="effective", sort="code")
        queries.register_page(user, f)  # warm the caches once
        out["service_first"] = report.timed(lambda: queries.register_page(user, f), 100)
        bare = text("SELECT d.id, d.code, d.title_vi, r.label FROM document d LEFT JOIN revision r"
                    " ON r.document_id = d.id AND r.status = 'effective' WHERE d.organisation_id"
                    " = :o AND d.status = 'effective' ORDER BY d.code, d.id LIMIT 51")
        out["bare_first"] = report.timed(
            lambda: db.session.execute(bare, {"o": organisation_id}).all(), 100)
        terms = iter(list(RARE) * 100)
        out["service_search"] = report.timed(lambda: queries.register_page(
            user, queries.RegisterFilter(q=next(terms))), 100)
        out["bare_search"] = report.timed(lambda: db.session.execute(
            queries.search.matching_ids(next(terms)).limit(1000)).all(), 100)
        db.session.remove()
        db.engine.dispose()
    return out


def _database(name: str) -> str:
    os.environ.setdefault("COMPLIANCE_TEST_DATABASE_URL", PG_BASE)
    from tests.conftest import reset_pg_database

    return reset_pg_database(name)


def _build(name: str, instance: str, organisations: int, documents: int, measured: int) -> str:
    from compliance import create_app
    from compliance.core.extensions import db

    url = _database(name)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        _seed(organisations, documents, measured)
        print(f"{name}: {organisations} organisation(s) × {documents:,} documents in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        db.session.remove()
        db.engine.dispose()
    return url


def _lines(r: dict) -> list[str]:
    many, alone = r["many"], r["alone"]

    def ratio(key: str) -> float:
        return many[key]["p50_ms"] / alone[key]["p50_ms"]

    return [
        f"Organisations benchmark — {r['organisations']} organisations × {r['documents']:,} "
        f"documents ({r['organisations'] * r['documents']:,}), postgresql, "
        f"{date.today().isoformat()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end",
        "",
        "| measure (in-process, p50 / p95) | one organisation among all | the same alone | "
        "ratio (p50) |",
        "|---|---|---|---|",
        *(f"| {label} | {many[key]['p50_ms']:.2f} / {many[key]['p95_ms']:.2f} ms | "
          f"{alone[key]['p50_ms']:.2f} / {alone[key]['p95_ms']:.2f} ms | {ratio(key):.2f}× |"
          for label, key in (("register, first page (service)", "service_first"),
                             ("register, bare SQL", "bare_first"),
                             ("search, rare word (service)", "service_search"),
                             ("search, bare full-text query", "bare_search"))),
    ]


def write_docs(results: dict) -> None:
    """Replace (or add) the organisations section of docs/performance.md."""
    block = "\n".join([BEGIN, *_lines(results), END])
    current = report.DOCS.read_text()
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if pattern.search(current):
        updated = pattern.sub(block, current)
    else:
        updated = current.rstrip() + "\n\n## Organisations (issue 14)\n\n" + block + "\n"
    report.DOCS.write_text(updated)


def main() -> None:
    """Build both databases, measure, print (and optionally record) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--write-docs", action="store_true",
                        help="record the figures in docs/performance.md")
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="compliance-bench-organisations-")
    measured = args.organisations // 2 or 1
    many = _build("compliance_bench_organisations", instance, args.organisations,
                  args.documents, measured)
    alone = _build("compliance_bench_alone", instance, 1, args.documents, 1)
    results = {"organisations": args.organisations, "documents": args.documents,
               "many": _measure(many, instance, measured), "alone": _measure(alone, instance, 1)}
    print("\n".join(_lines(results)))
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
