"""CPU per request of the signed-in pages people open most, on the demo organisation: the
document detail page, the coordinator's home, an audit, a corrective action, the register,
and a refused form post that renders its page again. Each is requested in-process through
the test client (no server, no network) and timed with `time.process_time`, beside a bare
Flask page so a slower machine reads as the same ratio.

    .venv/bin/python -m bench.pages [--repeat 200] [--profile PAGE] [--write-docs]

The database is a fresh SQLite file under /tmp, loaded with `compliance.demo`.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import re
import tempfile
import time
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from compliance.app import create_app
from compliance.core.extensions import db
from compliance.core.uow import unit_of_work

DOCS = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
BEGIN, END = "<!-- bench:pages:begin -->", "<!-- bench:pages:end -->"


def _config(tmp: Path) -> dict:
    return {"DATABASE_URL": f"sqlite:///{tmp / 'pages.sqlite'}",
            "INSTANCE_PATH": str(tmp / "instance"), "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_COST": "test",
            "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"}


def _app(tmp: Path) -> Flask:
    """The app on a fresh SQLite file holding the demo organisation."""
    app = create_app(_config(tmp))
    from compliance import demo
    with app.app_context():
        db.create_all()
        with unit_of_work():
            demo.seed()
    return app


def _paths(app: Flask) -> dict[str, tuple[str, str, dict | None]]:
    """Page name → (method, path, form) on the demo's first records."""
    from compliance.audits.models import Audit
    from compliance.capa.models import CorrectiveAction
    from compliance.documents.models import Document
    with app.app_context():
        document = db.session.scalar(select(Document.id).order_by(Document.id))
        audit = db.session.scalar(select(Audit.id).order_by(Audit.id))
        action = db.session.scalar(select(CorrectiveAction.id).order_by(CorrectiveAction.id))
    return {
        "document detail": ("GET", f"/documents/{document}", None),
        "home (coordinator)": ("GET", "/", None),
        "audit": ("GET", f"/audits/{audit}/", None),
        "corrective action": ("GET", f"/corrective-actions/{action}", None),
        "register": ("GET", "/documents/?status=effective&sort=code", None),
        "refused form post": ("POST", "/documents/new", {"code": "", "title_vi": ""}),
    }


def _floor_cpu(repeat: int) -> float:
    """CPU ms per request of a bare Flask page: the machine's yardstick."""
    bare = Flask("bare")
    bare.add_url_rule("/", "index", lambda: "<!doctype html><p>ok</p>")
    client = bare.test_client()
    client.get("/")
    started = time.process_time()
    for _ in range(repeat):
        client.get("/")
    return (time.process_time() - started) * 1000 / repeat


def _steady(client, method: str, path: str, form, repeat: int) -> float:
    """CPU ms per request: the least of five rounds, so other work on the machine counts less."""
    rounds = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(max(1, repeat // 5)):
            client.open(path, method=method, data=form)
        rounds.append((time.process_time() - started) * 1000 / max(1, repeat // 5))
    return min(rounds)


def _first_hits(app: Flask, paths: dict) -> tuple[object, dict[str, tuple[int, float]]]:
    """A signed-in client of the app and each page's status and first-request CPU ms."""
    from compliance.demo import DEMO_PASSWORD, email_of
    client = app.test_client()
    client.post("/login", data={"email": email_of("thu.tran"), "password": DEMO_PASSWORD})
    hits = {}
    for name, (method, path, form) in paths.items():
        started = time.process_time()
        status = client.open(path, method=method, data=form).status_code
        hits[name] = (status, (time.process_time() - started) * 1000)
    return client, hits


def measure(repeat: int, profile: str | None = None) -> dict:
    """First-hit (first app, then a second app in the same process, as each test builds one)
    and steady CPU ms per page, and a cProfile of one page when asked."""
    with tempfile.TemporaryDirectory(prefix="compliance-pages-") as tmp:
        app = _app(Path(tmp))
        paths = _paths(app)
        client, first = _first_hits(app, paths)
        second_app = create_app(_config(Path(tmp)))
        _, second = _first_hits(second_app, paths)
        results = {"floor": _floor_cpu(repeat), "pages": {}}
        for name, (method, path, form) in paths.items():
            results["pages"][name] = {
                "status": first[name][0], "first": first[name][1], "second": second[name][1],
                "steady": _steady(client, method, path, form, repeat)}
        if profile:
            method, path, form = paths[profile]
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(repeat):
                client.open(path, method=method, data=form)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
                int(os.environ.get("LINES", "45")))
    return results


def _lines(r: dict) -> list[str]:
    lines = [f"Page CPU — demo organisation, SQLite, {date.today().isoformat()}, "
             f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load "
             f"average {os.getloadavg()[0]:.1f}; bare Flask page {r['floor']:.2f} ms",
             "", "| page | status | first request, ms CPU | first in a second app | later "
             "requests, ms CPU each |", "|---|---|---|---|---|"]
    lines += [f"| {name} | {p['status']} | {p['first']:.1f} | {p['second']:.1f} | "
              f"{p['steady']:.2f} |"
              for name, p in r["pages"].items()]
    return lines


def main() -> None:
    """Run the measurement and print (and optionally record) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--profile", help="print a cProfile of this page's later requests")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    results = measure(args.repeat, args.profile)
    print("\n".join(_lines(results)))
    if args.write_docs:
        block = "\n".join([BEGIN, *_lines(results), END])
        current = DOCS.read_text()
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        DOCS.write_text(pattern.sub(block, current) if pattern.search(current)
                        else current.rstrip() + "\n\n" + block + "\n")


if __name__ == "__main__":
    main()
