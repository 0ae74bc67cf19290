"""Register benchmark: 100,000 documents, first page and a page ~70,000 rows deep under
gunicorn (2 workers) with wrk at concurrency 16, and full-text search, each beside the
bare SQL that serves it.

    .venv/bin/python -m bench.register [--rows 100000] [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from sqlalchemy import select, text

from bench import report
from bench.seed import PASSWORD, RARE, seed

PG_URL = "postgresql://postgres@127.0.0.1:5432/compliance_bench"


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database: str, instance: Path, name: str = "compliance_bench") -> dict[str, str]:
    """The server's environment for a benchmark database (SQLite in `instance`, or the
    PostgreSQL database `name`)."""
    url = f"sqlite:///{instance / 'bench.sqlite'}"
    if database == "postgresql":
        url = PG_URL.rsplit("/", 1)[0] + "/" + name
    return {"COMPLIANCE_DATABASE_URL": url, "COMPLIANCE_INSTANCE_PATH": str(instance),
            "COMPLIANCE_SECRET_KEY": "bench", "COMPLIANCE_LOG_LEVEL": "WARNING",
            "COMPLIANCE_RATELIMIT_ENABLED": "false"}


def prepare(database: str, rows: int, instance: Path,
            name: str = "compliance_bench") -> dict[str, str]:
    """Create (afresh) and fill the database; returns the environment for the server."""
    from compliance import create_app
    from compliance.core.extensions import db

    env = environment(database, instance, name)
    url = env["COMPLIANCE_DATABASE_URL"]
    if database == "postgresql":
        # tests.conftest reads the variable when it is imported, so set it first.
        os.environ.setdefault("COMPLIANCE_TEST_DATABASE_URL", PG_URL.rsplit("/", 1)[0] + "/test")
        from tests.conftest import reset_pg_database

        url = env["COMPLIANCE_DATABASE_URL"] = reset_pg_database(name)
    else:
        (instance / "bench.sqlite").unlink(missing_ok=True)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance)})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        seed(rows)
        print(f"seeded {rows:,} documents in {time.perf_counter() - started:.1f} s")
        if database == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    return env


def deep_cursor(env: dict[str, str], offset: int) -> str:
    """The keyset cursor of the row `offset` deep in code order."""
    from compliance import create_app
    from compliance.core.extensions import db
    from compliance.documents.models import Document
    from compliance.documents.queries import encode_cursor

    app = create_app({"DATABASE_URL": env["COMPLIANCE_DATABASE_URL"],
                      "INSTANCE_PATH": env["COMPLIANCE_INSTANCE_PATH"]})
    with app.app_context():
        row = db.session.execute(select(Document.code, Document.id)
                                 .where(Document.status == "effective")
                                 .order_by(Document.code, Document.id).offset(offset)
                                 .limit(1)).one()
    return encode_cursor(row.code, row.id)


def start_server(env: dict[str, str], port: int, app: str = "compliance:create_app()",
                 probe: str = "/login") -> subprocess.Popen:
    """gunicorn with two sync workers, as a small install would run it."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
        env={**os.environ, **env})
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def sign_in(port: int) -> str:
    """Sign in through the real form (CSRF on) and return the session cookie."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    body = urllib.parse.urlencode({"csrf_token": token.group(1), "password": PASSWORD,
                                   "email": "bench@example.test"}).encode()
    opener.open(f"http://127.0.0.1:{port}/login", body)
    cookie = next(c for c in jar if c.name == "compliance_session")
    return f"{cookie.name}={cookie.value}"


def wrk(url: str, cookie: str, seconds: int, header: str | None = None) -> dict[str, float]:
    """Requests per second, p50 and p99 latency at concurrency 16 (with the session cookie,
    or another header such as `Authorization: Bearer ...`)."""
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-H",
                          header or f"Cookie: {cookie}", url], capture_output=True, text=True,
                         check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50_ms": _latency(out, "50"), "p99_ms": _latency(out, "99"),
            "errors": int(non2xx.group(1)) if non2xx else 0}


def _latency(out: str, percentile: str) -> float:
    found = re.search(percentile + r"%\s+([\d.]+)(us|ms|s)", out)
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


def interleaved(port: int, floor_port: int, cookie: str, cursor: str, args) -> dict:
    """The first page, the floor and the deep page measured in turn, `rounds` times, each
    the median round (by requests a second): on a machine shared with other work, what the
    others take then falls on the register and its floor alike, so their ratio holds."""
    base = f"http://127.0.0.1:{port}/documents/?status=effective&sort=code"
    urls = {"first": (base, cookie), "floor": (f"http://127.0.0.1:{floor_port}/", "none=1"),
            "deep": (f"{base}&after={cursor}", cookie)}
    runs: dict[str, list] = {name: [] for name in urls}
    for _ in range(args.rounds):
        for name, (url, sent) in urls.items():
            runs[name].append(wrk(url, sent, args.seconds))
    return {name: sorted(found, key=lambda r: r["rps"])[len(found) // 2]
            for name, found in runs.items()}


def main() -> None:
    """Run the benchmark and print (and optionally record) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=10, help="of each wrk run")
    parser.add_argument("--rounds", type=int, default=3,
                        help="first page, floor and deep page measured in turn, this often")
    parser.add_argument("--write-docs", action="store_true",
                        help="record the figures in docs/performance.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="compliance-bench-") as tmp:
        env = prepare(args.database, args.rows, Path(tmp))
        results = {"rows": args.rows, "database": args.database, "rounds": args.rounds}
        results.update(report.bare_queries(env, args.rows, RARE))
        cursor = deep_cursor(env, min(70_000, args.rows - 60))
        port, floor_port = free_port(), free_port()
        server = start_server(env, port)
        floor = start_server(env, floor_port, "bench.baseline_app:create_app()", "/")
        try:
            cookie = sign_in(port)
            results.update(interleaved(port, floor_port, cookie, cursor, args))
            results["search_http"] = report.search_over_http(port, cookie, RARE)
        finally:
            for running in (server, floor):
                running.terminate()
                running.wait(timeout=30)
    report.show(results)
    if args.write_docs:
        report.write_docs(results)


if __name__ == "__main__":
    main()
