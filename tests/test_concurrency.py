"""Concurrent writers on one row lose nothing, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter as Tally

import pytest
from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import verify
from compliance.counters import current_value, next_value
from compliance.db import write_intent
from compliance.extensions import db

THREADS = 8
TRANSACTIONS = 150
# 8 clients x 25 edits = 200 requests: about 5 s per database here, well under the 30 s budget,
# and enough for many conflicts to happen while writers queue on the row.
HTTP_EDITS = 25
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
            "parent_id": None, "active": True}
        # Each saved edit started from exactly what the previous one left: nothing overwritten.
        for previous, event in zip(events, events[1:], strict=False):
            assert json.loads(event.before_json) == json.loads(previous.after_json), event.seq
        verdict = verify()
        assert verdict.ok, verdict


def test_postgresql_writers_take_one_lock_at_begin(app, database_kind):
    """Writers queue at BEGIN on PostgreSQL too, so row locks can never deadlock."""
    from sqlalchemy import text as sql

    from compliance.db import WRITE_LOCK_KEY, write_intent

    if database_kind != "postgresql":
        pytest.skip("SQLite's counterpart, BEGIN IMMEDIATE, is checked by the engine tests")
    with app.app_context(), write_intent():
        db.session.execute(sql("SELECT 1"))
        held = db.session.execute(sql(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND pid = pg_backend_pid() AND objid = :key"), {"key": WRITE_LOCK_KEY}).scalar()
        db.session.rollback()
    assert held == 1
