"""Fixtures: the app on SQLite and (when configured) PostgreSQL, clients, runners, makers.

Speed (issue 11): apps made here hash passwords at the cheap "test" cost; the SQLite schema
and reference data are built once per process into a template file that each test copies;
on PostgreSQL each xdist worker has a database of its own (`<test database>_<worker>`),
built once, emptied after each test (DELETE and setval: robust with the threads,
subprocesses and extra connections some tests open). The clock is set back to real time after
every test.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import http.server
import os
import secrets
import shutil
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from compliance import create_app
from compliance.audits.services import grades, questions
from compliance.auth import passwords
from compliance.auth.models import Membership
from compliance.config import normalise_database_url
from compliance.core import clock as core_clock
from compliance.core.db import write_intent
from compliance.core.extensions import db, limiter
from compliance.org import clauses, organisations
from compliance.org.models import Department
from tests import factories, speedups

speedups.install()

# Every app the fixtures make hashes at the cheap "test" cost (PASSWORD_HASH_COST); the
# production parameters keep their own test (tests/auth/test_password_cost.py).
PRODUCTION_HASHER = passwords._hasher(passwords.PRODUCTION)
TEST_HASHER = passwords._hasher(passwords.TEST)

# The xdist worker this process is ("gw0", ...), or "main" and the process id without
# xdist: two runs of one file at once (a developer's, an editor's) must not share, and drop,
# one database.
WORKER = os.environ.get("PYTEST_XDIST_WORKER") or f"main{os.getpid()}"
BASE_PG_URL = os.environ.get("COMPLIANCE_TEST_DATABASE_URL")
if os.environ.get("CI") and not BASE_PG_URL:
    raise pytest.UsageError("CI must set COMPLIANCE_TEST_DATABASE_URL: the suite runs on "
                            "PostgreSQL as well as SQLite.")
DATABASES = ["sqlite"] + (["postgresql"] if BASE_PG_URL else [])


def _server_url(database: str) -> str:
    url = make_url(normalise_database_url(BASE_PG_URL))
    return url.set(database=database).render_as_string(hide_password=False)


# This worker's own database on the test server, named after the configured one (never that
# one itself, which others may be using): e.g. test_gw0.
PG_DATABASE = (f"{make_url(normalise_database_url(BASE_PG_URL)).database}_{WORKER}"
               if BASE_PG_URL else None)
PG_URL = _server_url(PG_DATABASE) if BASE_PG_URL else None
if PG_DATABASE:
    speedups.SHARED_DATABASES.add(PG_DATABASE)


def pg_admin_url(database: str | None = None) -> str:
    """The URL of this worker's test database, or of another database on the same server."""
    return _server_url(database or PG_DATABASE)


def reset_pg_database(name: str) -> str:
    """Drop and create a database on the test server; returns its URL."""
    # Connected to the maintenance database: the configured one may be busy with other runs.
    engine = create_engine(_server_url("postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A test database need not wait for each commit to reach the disk: a commit still
        # commits (visible, ordered, atomic); only a crash of the server could lose the
        # last ones, and no test crashes PostgreSQL. Commits are most of the suite's waits.
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    engine.dispose()
    return _server_url(name)


def drop_pg_database(name: str) -> None:
    """Drop a database on the test server, if it is there."""
    engine = create_engine(_server_url("postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


# A program no machine has: the apps of the tests make no PDF renditions of office files.
NO_OFFICE_RENDERER = "compliance-tests-have-no-office-renderer"

# A moment the `clock` fixture pins: a Monday, mid-morning in Hà Nội, far from midnight in
# any zone that matters to the tests (the organisation's and UTC).
PINNED_MOMENT = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@contextlib.contextmanager
def pdf_rendered_in_process(rendered: bytes | None = None):
    """Within the block, PDF jobs (renders, stamped copies, upload checks) run in this
    process instead of a limited child. For walks that check who may fetch a PDF, not the
    limits: those keep their own tests. With `rendered`, every HTML-to-PDF job answers those
    bytes instead of rendering (some half a second each): for walks that ask who gets a
    report, not what it says."""
    from compliance.core.pdf import pool, worker

    def run(job, payload=b"", **_limits):
        if rendered is not None and job["kind"] == "html":
            return {"status": 0}, rendered
        return worker.handle(job, payload)

    with mock.patch.object(pool, "run", run):
        yield


@pytest.fixture(autouse=True)
def _real_clock_after_each_test():
    """Whatever a test did to the clock ends with it."""
    yield
    core_clock.reset()


@pytest.fixture
def clock():
    """compliance.core.clock, pinned at PINNED_MOMENT (it keeps ticking from there); tests
    move it with clock.set(aware) / clock.advance(days=...); reset after the test."""
    core_clock.set(PINNED_MOMENT)
    yield core_clock
    core_clock.reset()


# The files that take longest, longest first (measured: docs/performance.md). scripts/test
# hands whole files to the workers in collection order (--no-loadscope-reorder: xdist would
# otherwise order files by how many tests they hold, which put the one-test fuzz halves and the
# browser flows last, one worker busy for minutes while the other waited), each worker taking
# the next as it finishes; with the long ones first, the short ones fill in at the end and the
# workers finish together. The browser flows count as one file (`browser/`): one worker seeds
# the demo and starts Chromium once for all of them.
LONGEST_FIRST = (
    "test_form_fuzz_second_half.py", "test_form_fuzz.py", "api/test_schemathesis.py", "browser/",
    "test_permissions.py",
    "test_security.py", "reports/test_hostile.py", "notifications/test_scheduler.py",
    "test_concurrency.py", "test_crash.py", "test_packaging.py", "test_migrations.py",
    "org/test_isolation.py", "api/test_api_matrix.py", "evidence/test_build_rules.py",
    "evidence/test_pack.py", "evidence/test_hostile_pack.py", "reports/test_six_monthly.py",
    "documents/test_long_work.py", "test_cli.py", "documents/test_rules.py")
BROWSER = "tests/browser/"


def _rank(item) -> int:
    path = item.path.as_posix()
    for rank, name in enumerate(LONGEST_FIRST):
        if path.endswith("/tests/" + name) or (name.endswith("/") and "/tests/" + name in path):
            return rank
    return len(LONGEST_FIRST)


@pytest.hookimpl(optionalhook=True)  # unknown to pytest when run with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    """Whole files to each worker, the browser flows as one (see LONGEST_FIRST)."""
    if config.getoption("dist", None) != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return BROWSER if nodeid.startswith(BROWSER) else super()._split_scope(nodeid)

    return Scheduling(config, log)


def pytest_collection_finish(session):
    """Everything imported and collected so far lives as long as the process: frozen out of
    the collector's reach. Each full collection used to walk these half-million objects
    again (some 0.2 s each, 12% of a worker's time); the tests' own garbage is still
    collected, the oldest generation less often (docs/performance.md, "The test suite")."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def pytest_sessionfinish(session):
    """The process's shared Chromium, if a test started it, closes with the session."""
    from tests import page_browser

    page_browser.stop_shared()


def pytest_collection_modifyitems(config, items):
    """The longest files first (LONGEST_FIRST; a stable sort keeps every file's own order).
    Tests marked one_database run on SQLite only: they check a renderer, a file format or
    a byte-level check, with the database only as the place their input sits, and the same
    paths are run on PostgreSQL by the tests that are about the data."""
    items.sort(key=_rank)
    kept, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("database_kind") == "postgresql" and item.get_closest_marker("one_database"):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session", params=DATABASES)
def database_kind(request) -> str:
    """Which database the tests of this round run against."""
    return request.param


_PG_BUILT = False


@pytest.fixture(scope="session")
def pg_schema_ready(database_kind):
    """Create this worker's PostgreSQL database and schema, once per process."""
    global _PG_BUILT
    if database_kind != "postgresql":
        return None
    if not _PG_BUILT:
        reset_pg_database(PG_DATABASE)
        if WORKER.startswith("main"):  # named after this process: nobody else will reuse it
            atexit.register(drop_pg_database, PG_DATABASE)
        app = create_app({"DATABASE_URL": PG_URL, "TESTING": True, "SECRET_KEY": "x"})
        with app.app_context():
            db.create_all()
            load_reference_data()
            db.session.commit()
            _keep_pristine()
            db.session.commit()
            db.engine.dispose()
        _PG_BUILT = True
    return True


def load_reference_data() -> None:
    """What the migrations load into every new database: the first organisation, clauses,
    grades, questions."""
    organisations.load_default()
    clauses.load()
    grades.load_defaults()
    questions.load_bank()


# Loaded with the schema and changed by a few tests (pages edit grades and questions, a
# command loads another clause edition): on PostgreSQL, put back as loaded after a test that
# changed them, left alone otherwise. In the models' order: parents first.
RELOADED_TABLES = ("organisation", "clause", "finding_grade", "audit_question")
_PRISTINE: dict[str, tuple[str, list[dict]]] = {}


def _digest_query(table_name: str) -> str:
    # Every row a transaction writes carries that transaction's id (xmin), and ids only grow:
    # any insert or update raises the greatest one, and a delete lowers the count. Comparing
    # the two costs a scan, not a text digest of every row. Names come from the models.
    return f"SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM {table_name}"  # noqa: S608, E501


# The reference tables' digests, all in one round trip.
DIGESTS = "SELECT " + ", ".join(f"({_digest_query(name)})" for name in RELOADED_TABLES)


def _keep_pristine(reloaded: bool = False) -> None:
    """Note the reloaded tables' digests (and, on the first call of the process, their
    rows as the schema's load left them)."""
    digests = db.session.execute(text(DIGESTS)).one()
    for name, digest in zip(RELOADED_TABLES, digests, strict=True):
        if reloaded:
            _PRISTINE[name] = (digest, _PRISTINE[name][1])
            continue
        table = db.metadata.tables[name]
        rows = [dict(row._mapping) for row in db.session.execute(
            table.select().order_by(*table.primary_key.columns))]
        _PRISTINE[name] = (digest, rows)


@functools.cache
def _emptying_script(kept: frozenset[str]) -> str:
    """One script that empties every table but `kept` and starts their ids at 1 again."""
    statements = [str(table.delete().compile(dialect=db.engine.dialect))
                  for table in reversed(db.metadata.sorted_tables) if table.name not in kept]
    statements.append(
        "SELECT setval(quote_ident(schemaname) || '.' || quote_ident(sequencename), 1, false) "
        "FROM pg_sequences WHERE schemaname = 'public'"
        + "".join(f" AND sequencename <> '{name}_id_seq'" for name in sorted(kept)))
    return "; ".join(statements)


def _empty_pg_tables(app) -> None:
    """Empty every table and start every id at 1 again, in one round trip (one DELETE per
    table, children first: on tables this small a TRUNCATE of sixty tables costs ten times
    more), but for the reference tables a test did not change (reloading them every time was
    half of an empty test's time)."""
    with app.app_context():
        digests = db.session.execute(text(DIGESTS)).one()
        # They refer to one another (questions to clauses): one changed, all go back.
        changed = RELOADED_TABLES if any(
            digest != _PRISTINE[name][0]
            for name, digest in zip(RELOADED_TABLES, digests, strict=True)) else ()
        kept = frozenset(RELOADED_TABLES) - set(changed)
        # No parameters: psycopg sends the whole script as one simple query.
        db.session.connection().connection.driver_connection.execute(_emptying_script(kept))
        for name in changed:  # in RELOADED_TABLES' order, parents first
            table = db.metadata.tables[name]
            db.session.execute(table.insert(), _PRISTINE[name][1])
            if "id" in table.c:
                db.session.execute(text(
                    f"SELECT setval('{name}_id_seq', (SELECT max(id) FROM {name}))"))  # noqa: S608
        db.session.commit()
        if changed:  # the rows put back are new rows, with new transaction ids
            _keep_pristine(reloaded=True)
            db.session.commit()


_SQLITE_TEMPLATE: Path | None = None


def sqlite_template() -> Path:
    """A SQLite file with the schema and reference data, built once per process."""
    global _SQLITE_TEMPLATE
    if _SQLITE_TEMPLATE is None:
        folder = Path(tempfile.mkdtemp(prefix=f"compliance-template-{WORKER}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.sqlite"
        app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}",
                          "INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": "x"})
        with app.app_context():
            db.create_all()
            load_reference_data()
            db.session.commit()
            # Everything into the main file, so copying that one file copies the database.
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        _SQLITE_TEMPLATE = path
    return _SQLITE_TEMPLATE


# The SQLite file of the `app` fixtures, one per process: copied afresh from the template for
# each test (the first shared app a test makes), so its engine can be kept between tests
# (tests/speedups.py). `_LIVE_OWNER` is the folder of the test it was copied for.
_LIVE_SQLITE: Path | None = None
_LIVE_OWNER: Path | None = None


def _live_sqlite(tmp_path: Path) -> tuple[Path, bool]:
    """The shared SQLite file for this test, copied from the template on the test's first app."""
    global _LIVE_SQLITE, _LIVE_OWNER
    if _LIVE_SQLITE is None:
        _LIVE_SQLITE = sqlite_template().parent / "live.sqlite"
        speedups.SHARED_DATABASES.add(str(_LIVE_SQLITE))
    if tmp_path == _LIVE_OWNER:
        return _LIVE_SQLITE, False
    # The previous test's connections were closed by its fixtures; one a test leaked still
    # reads the old file, which is unlinked, never written over.
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{_LIVE_SQLITE}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(sqlite_template(), _LIVE_SQLITE)
    _LIVE_OWNER = tmp_path
    return _LIVE_SQLITE, True


def make_app(database_kind: str, tmp_path, *, shared: bool = False, **overrides):
    """An app on a fresh database of the given kind. `shared`: on the process's kept SQLite
    file (the fixtures' apps; a second one in the same test shares the first's database), or
    else on `tmp_path`/test.sqlite, where a second app in the same folder shares it too."""
    fresh_copy = False
    if database_kind == "postgresql":
        url = PG_URL
    elif shared or tmp_path == _LIVE_OWNER:
        target, fresh_copy = _live_sqlite(tmp_path)
        url = f"sqlite:///{target}"
    else:
        target = tmp_path / "test.sqlite"
        if not target.exists():
            shutil.copyfile(sqlite_template(), target)
            fresh_copy = True
        url = f"sqlite:///{target}"
    config = {"TESTING": True, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "instance"),
              "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False, "PASSWORD_MIN_LENGTH": 10,
              "PASSWORD_HASH_COST": "test",
              "SERVER_NAME": "localhost",
              # A webhook host the walks register hooks for without a DNS lookup.
              "WEBHOOK_ALLOWED_HOSTS": ("hooks.example.com",),
              # No PDF renditions of office uploads (LibreOffice, 1-3 s each) unless a test
              # asks for them: tests/documents/test_renditions.py sets the real program.
              "OFFICE_RENDERER": NO_OFFICE_RENDERER}
    config.update(overrides)
    app = create_app(config)
    if database_kind == "sqlite" and not fresh_copy:
        # A second app on the same file (a test building several): as before, idempotent.
        with app.app_context():
            db.create_all()
            load_reference_data()
            db.session.commit()
    return app


def _clean_up(app, database_kind: str) -> None:
    """After a test: on PostgreSQL, the tables emptied over a connection the pool keeps for
    the next test (a new one is a new server backend, which reads the catalogue afresh for
    every table it touches: most of an empty test's time went there); on SQLite, the
    connections closed, since the next test's file is a new copy."""
    if database_kind == "postgresql":
        _empty_pg_tables(app)
        return
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(database_kind, pg_schema_ready, tmp_path):
    """The application on a clean database; no app context is left pushed."""
    app = make_app(database_kind, tmp_path, shared=True)
    limiter.reset()
    yield app
    _clean_up(app, database_kind)


@pytest.fixture
def csrf_app(database_kind, pg_schema_ready, tmp_path):
    """The application with CSRF protection on, as in production."""
    app = make_app(database_kind, tmp_path, shared=True, WTF_CSRF_ENABLED=True)
    limiter.reset()
    yield app
    _clean_up(app, database_kind)


@pytest.fixture
def client(app):
    """A browser-like client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The CLI runner."""
    return app.test_cli_runner()


def _plain(obj) -> SimpleNamespace:
    mapper = inspect(obj).mapper
    return SimpleNamespace(**{attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs})


def _committed(obj) -> SimpleNamespace:
    """The row's plain copy, then the commit: read after the flush, its columns are still
    loaded (after the commit each would be read back from the database again)."""
    db.session.flush()
    plain = _plain(obj)
    db.session.commit()
    return plain


class Maker:
    """Creates committed rows in a context of its own and hands back plain copies. Each
    transaction is a writer from BEGIN: a read-then-insert must not race a worker process
    (an evidence pack's) still writing to the same SQLite file."""

    def __init__(self, app):
        self.app = app

    def _create(self, factory, **kwargs) -> SimpleNamespace:
        with self.app.app_context(), write_intent():
            return _committed(factory(**kwargs))

    def department(self, **kwargs):
        """A department."""
        return self._create(factories.DepartmentFactory, **kwargs)

    def user(self, roles=(), departments=(), **kwargs):
        """A user with global roles and (department id, role) memberships."""
        with self.app.app_context(), write_intent():
            user = factories.UserFactory(roles=list(roles), **kwargs)
            for department_id, role in departments:
                db.session.add(Membership(user_id=user.id, department_id=department_id,
                                          role=role))
            return _committed(user)

    def process(self, department_id, **kwargs):
        """A process of a department."""
        with self.app.app_context(), write_intent():
            return _committed(factories.ProcessFactory(
                department=db.session.get(Department, department_id), **kwargs))

    def user_with_role(self, role: str, department_id: int | None = None):
        """A user holding one role (department roles need a department)."""
        if role in ("department_head", "staff"):
            if department_id is None:
                department_id = self.department().id
            return self.user(departments=[(department_id, role)])
        return self.user(roles=[role])


@pytest.fixture
def make(app):
    """Factory access: make.user(...), make.department(...)."""
    return Maker(app)


def do_login(client, email: str, password: str = factories.PASSWORD):
    """Sign in through the form, as a person would."""
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def login():
    """login(client, email[, password]) signs in through the real form."""
    return do_login


@pytest.fixture
def as_role(client, make):
    """as_role(role[, department_id]) signs the client in as a fresh user with that role."""

    def sign_in(role: str, department_id: int | None = None):
        user = make.user_with_role(role, department_id)
        response = do_login(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in


@pytest.fixture
def trap(tmp_path):
    """A loopback HTTP server that records every request, a canary file, and the hostile
    corpus pointing at both (tests/hostile_inputs.py)."""
    from tests.hostile_inputs import corpus

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    canary = tmp_path / "canary.txt"
    token = "CANARY" + secrets.token_hex(8)
    canary.write_text(token)
    items = corpus(f"http://127.0.0.1:{server.server_address[1]}", canary.as_uri())
    yield hits, token, items
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def seaweedfs():
    """A real S3-compatible server (SeaweedFS), started once per test process on first use;
    the standard AWS variables set to its test credentials."""
    from tests import seaweedfs as server

    running = server.start()
    server.use_credentials()
    yield running
    server.stop(running)
