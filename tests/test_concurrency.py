"""Concurrent writers on one row lose nothing, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter as Tally

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import verify
from compliance.core.counters import current_value, next_value
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.org.models import Process
from tests.conftest import make_app

THREADS = 8
TRANSACTIONS = 150
# 8 clients x 40 edits = 320 edit round trips: about 5 s per database on this 2-core machine
# (budget 30 s), and enough for well over a hundred conflicts while writers queue on the row.
HTTP_EDITS = 40
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')

pytestmark = pytest.mark.slow


def _run_threads(work) -> list[BaseException]:
    """Start THREADS threads on work(index) together; return what any of them raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def body(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return errors


def test_read_modify_write_loses_no_update(app):
    values: list[int] = []
    lock = threading.Lock()

    def work(_index: int) -> None:
        for _ in range(TRANSACTIONS):
            with app.app_context(), write_intent():
                value = next_value("concurrency-test")
                db.session.commit()
            with lock:
                values.append(value)

    errors = _run_threads(work)

    assert errors == []
    assert len(values) == THREADS * TRANSACTIONS
    assert len(set(values)) == len(values), "a value was handed out twice"
    assert sorted(values) == list(range(1, THREADS * TRANSACTIONS + 1))
    with app.app_context():
        assert current_value("concurrency-test") == THREADS * TRANSACTIONS


def test_concurrent_department_edits_conflict_cleanly(app, make, login):
    department = make.department(code="VP")
    clients = []
    for _ in range(THREADS):
        admin = make.user(roles=["admin"])
        client = app.test_client()
        assert login(client, admin.email).status_code == 302
        clients.append(client)
    statuses: list[int] = []
    lock = threading.Lock()
    edit_url = f"/departments/{department.id}/edit"

    def work(index: int) -> None:
        client = clients[index]
        for round_ in range(HTTP_EDITS):
            form = client.get(edit_url)
            assert form.status_code == 200, form.status_code
            version = VERSION.search(form.get_data(as_text=True)).group(1)
            response = client.post(edit_url, data={
                "code": "VP", "name_vi": f"Văn phòng {index}-{round_}",
                "name_en": f"Office {index}-{round_}", "parent_id": "0", "active": "y",
                "version": version})
            if response.status_code == 409:
                # A conflict must tell the person what happened, not just refuse.
                assert "Reload the page" in response.get_data(as_text=True)
            with lock:
                statuses.append(response.status_code)

    errors = _run_threads(work)

    assert errors == []
    tally = Tally(statuses)
    assert set(tally) <= {302, 409}, tally
    assert tally[302] >= 1
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "department",
                                     AuditEvent.entity_id == str(department.id))
            .order_by(AuditEvent.seq)).all()
        updates = [e for e in events if e.action == "department.update"]
        assert len(updates) == tally[302]
        assert json.loads(events[0].before_json) == {
            "code": "VP", "name_vi": department.name_vi, "name_en": department.name_en,
            "parent_id": None, "active": True, "certificate_number": None,
            "certification_body": None, "certificate_expires_on": None}
        # Each saved edit started from exactly what the previous one left: nothing overwritten.
        for previous, event in zip(events, events[1:], strict=False):
            assert json.loads(event.before_json) == json.loads(previous.after_json), event.seq
        verdict = verify()
        assert verdict.ok, verdict


# The set-up the tests above rely on, checked directly.

def test_engine_setup_per_database(app, database_kind):
    with app.app_context():
        if database_kind == "postgresql":
            assert db.engine.dialect.driver == "psycopg"
            return
        assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1


def test_foreign_keys_are_enforced(app):
    with app.app_context(), write_intent():
        db.session.add(Process(code="P-ORPHAN", name_vi="x", name_en="x", department_id=99999))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_sqlite_writer_takes_the_lock_at_begin(tmp_path):
    # SQLite only: BEGIN IMMEDIATE is how it queues writers (PostgreSQL locks rows instead).
    app = make_app("sqlite", tmp_path)
    with app.app_context():
        other = create_engine(db.engine.url, connect_args={"timeout": 0})
        with write_intent():
            db.session.execute(select(1))  # only a read, yet the write lock is already ours
            with other.connect() as conn, pytest.raises(OperationalError, match="locked"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            db.session.rollback()
        db.session.execute(select(1))  # without write intent a reader leaves writers be
        with other.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.exec_driver_sql("ROLLBACK")
        db.session.rollback()
        other.dispose()
        db.engine.dispose()


def test_postgresql_writers_take_one_lock_at_begin(app, database_kind):
    """Writers queue at BEGIN on PostgreSQL too, so row locks can never deadlock."""
    from sqlalchemy import text as sql

    from compliance.core.db import WRITE_LOCK_KEY, write_intent

    if database_kind != "postgresql":
        pytest.skip("SQLite's counterpart, BEGIN IMMEDIATE, is checked by the engine tests")
    with app.app_context(), write_intent():
        db.session.execute(sql("SELECT 1"))
        held = db.session.execute(sql(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND pid = pg_backend_pid() AND objid = :key"), {"key": WRITE_LOCK_KEY}).scalar()
        db.session.rollback()
    assert held == 1
