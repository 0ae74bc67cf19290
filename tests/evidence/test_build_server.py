"""The build server (compliance/evidence/server.py): a burst of requests is built one after
another within EVIDENCE_WORKERS, each pack once, and the server finishes what it was given
after its web process has gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from compliance.core.extensions import db
from compliance.evidence import worker
from compliance.evidence.models import EvidencePack
from tests.evidence.helpers import doc_in_force, request_build, wait_for


# The server's queue and its processes, not the data: on SQLite alone.
@pytest.mark.one_database
def test_a_burst_is_built_in_turn_each_pack_once(app, make, login, monkeypatch):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    doc_in_force(app, dept.id, coordinator.id, code="QT-B-01", title="Quy trình")
    app.config["EVIDENCE_WORKERS"] = 1
    server = worker._Server()
    monkeypatch.setattr(worker, "SERVER", server)
    client = app.test_client()
    login(client, coordinator.email)
    packs = [request_build(client, scope_kind="department", department_id=dept.id)
             for _ in range(3)]
    assert server.proc.poll() is None
    # Its web side gone (the pipe closed), the server builds what it was given, then leaves.
    server.proc.stdin.close()
    assert server.proc.wait(timeout=180) == 0
    states = [wait_for(client, pack_id, timeout=5) for pack_id in packs]
    assert [s["status"] for s in states] == ["ready"] * 3, states
    with app.app_context():
        rows = db.session.scalars(select(EvidencePack).where(EvidencePack.id.in_(packs))
                                  .order_by(EvidencePack.id)).all()
        # One at a time, in the order asked: each began after the one before had ended.
        for before, after in zip(rows, rows[1:], strict=False):
            assert after.started_at >= before.finished_at
        assert len({row.worker_pid for row in rows}) == 3  # a child of its own each
    log = Path(app.instance_path, "evidence-worker.log").read_text(encoding="utf-8")
    assert log.count(": exit 0, peak memory") == 3
