"""Fixtures: the app on SQLite and (when configured) PostgreSQL, clients, runners, makers."""

from __future__ import annotations

import http.server
import os
import secrets
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from compliance import create_app
from compliance.auth.models import Membership
from compliance.config import normalise_database_url
from compliance.core.extensions import db, limiter
from compliance.org import clauses
from compliance.org.models import Department
from tests import factories

PG_URL = os.environ.get("COMPLIANCE_TEST_DATABASE_URL")
if os.environ.get("CI") and not PG_URL:
    raise pytest.UsageError("CI must set COMPLIANCE_TEST_DATABASE_URL: the suite runs on "
                            "PostgreSQL as well as SQLite.")
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pg_admin_url(database: str | None = None) -> str:
    """The PostgreSQL test server's URL, optionally for another database on it."""
    url = make_url(normalise_database_url(PG_URL))
    return url.set(database=database).render_as_string(hide_password=False) if database else \
        url.render_as_string(hide_password=False)


def reset_pg_database(name: str) -> str:
    """Drop and create a database on the test server; returns its URL."""
    engine = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return pg_admin_url(name)


@pytest.fixture(scope="session", params=DATABASES)
def database_kind(request) -> str:
    """Which database the tests of this round run against."""
    return request.param


@pytest.fixture(scope="session")
def pg_schema_ready(database_kind):
    """Create the schema once per session on PostgreSQL."""
    if database_kind != "postgresql":
        return None
    app = create_app({"DATABASE_URL": PG_URL, "TESTING": True, "SECRET_KEY": "x"})
    with app.app_context():
        # Whatever an earlier run (of another branch, perhaps) left behind goes, whole.
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
        db.create_all()
        load_reference_data()
        db.session.commit()
        db.engine.dispose()
    return True


def load_reference_data() -> None:
    """What the migrations load into every new database: clauses, grades, questions."""
    from compliance.audits.services import grades, questions

    clauses.load()
    grades.load_defaults()
    questions.load_bank()


# Kept between tests on PostgreSQL (no test changes it); grades and questions are emptied
# and loaded again for each test, since their pages change them.
REFERENCE_TABLES = ("clause",)


def _empty_pg_tables(app) -> None:
    with app.app_context():
        names = [t.name for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
        db.session.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names)
                                + " RESTART IDENTITY CASCADE"))
        db.session.commit()


def make_app(database_kind: str, tmp_path, **overrides):
    """An app on a fresh database of the given kind."""
    url = PG_URL if database_kind == "postgresql" else f"sqlite:///{tmp_path / 'test.sqlite'}"
    config = {"TESTING": True, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "instance"),
              "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False, "PASSWORD_MIN_LENGTH": 10,
              "SERVER_NAME": "localhost"}
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        if database_kind == "sqlite":
            db.create_all()
        load_reference_data()
        db.session.commit()
    return app


@pytest.fixture
def app(database_kind, pg_schema_ready, tmp_path):
    """The application on a clean database; no app context is left pushed."""
    app = make_app(database_kind, tmp_path)
    limiter.reset()
    yield app
    if database_kind == "postgresql":
        _empty_pg_tables(app)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def csrf_app(database_kind, pg_schema_ready, tmp_path):
    """The application with CSRF protection on, as in production."""
    app = make_app(database_kind, tmp_path, WTF_CSRF_ENABLED=True)
    limiter.reset()
    yield app
    if database_kind == "postgresql":
        _empty_pg_tables(app)
    with app.app_context():
        db.engine.dispose()


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


class Maker:
    """Creates committed rows in a context of its own and hands back plain copies."""

    def __init__(self, app):
        self.app = app

    def _create(self, factory, **kwargs) -> SimpleNamespace:
        with self.app.app_context():
            obj = factory(**kwargs)
            db.session.commit()
            return _plain(obj)

    def department(self, **kwargs):
        """A department."""
        return self._create(factories.DepartmentFactory, **kwargs)

    def user(self, roles=(), departments=(), **kwargs):
        """A user with global roles and (department id, role) memberships."""
        with self.app.app_context():
            user = factories.UserFactory(roles=list(roles), **kwargs)
            for department_id, role in departments:
                user.memberships.append(Membership(department_id=department_id, role=role))
            db.session.commit()
            return _plain(user)

    def process(self, department_id, **kwargs):
        """A process of a department."""
        with self.app.app_context():
            process = factories.ProcessFactory(
                department=db.session.get(Department, department_id), **kwargs)
            db.session.commit()
            return _plain(process)

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
