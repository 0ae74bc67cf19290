"""Bad input, permissions in the service, failed and stuck builds."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from compliance.core.db import utcnow
from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.evidence.models import EvidencePack
from tests.evidence.helpers import PERIOD, doc_in_force, request_build, wait_for


def _post(client, **form):
    return client.post("/evidence/", data={**PERIOD, **form})


def test_bad_dates_reversed_period_and_unknown_scope_are_refused(app, make, login):
    dept = make.department()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, make.user(roles=["auditor"]).email)
    response = _post(client, scope_kind="department", department_id=dept.id,
                     period_start="2026-13-45")
    assert response.status_code == 400
    response = _post(client, scope_kind="department", department_id=dept.id,
                     period_start="2026-12-31", period_end="2026-01-01")
    assert response.status_code == 400
    assert "The period ends before it starts." in response.get_data(as_text=True)
    response = _post(client, scope_kind="department", department_id=999999)
    assert response.status_code == 404
    assert "no department with this id" in response.get_data(as_text=True)
    assert _post(client, scope_kind="audit", audit_id=999999).status_code == 404
    assert _post(client, scope_kind="clause", clause_id=999999).status_code == 404
    assert _post(client, scope_kind="department").status_code == 400
    assert _post(client, scope_kind="nonsense").status_code == 400
    assert _post(client, scope_kind="department", department_id="abc").status_code == 400
    with app.app_context():
        assert db.session.query(EvidencePack).count() == 0


def test_department_heads_build_only_for_their_own_department(app, make, login):
    mine, theirs = make.department(), make.department()
    head = make.user(departments=[(mine.id, "department_head")])
    client = app.test_client()
    login(client, head.email)
    assert _post(client, scope_kind="department", department_id=theirs.id).status_code == 403
    assert _post(client, scope_kind="organisation").status_code in (400, 403)
    staff = make.user(departments=[(mine.id, "staff")])
    other = app.test_client()
    login(other, staff.email)
    assert _post(other, scope_kind="department", department_id=mine.id).status_code == 403
    with app.app_context():
        assert db.session.query(EvidencePack).count() == 0


def test_a_failed_build_records_why_and_the_page_says_it(app, make, login):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    doc = doc_in_force(app, dept.id, coordinator.id, code="QT-X-01", title="Quy trình")
    with app.app_context():
        path = get_store()._path(doc.sha256)
        os.chmod(path, 0o600)
        path.unlink()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, coordinator.email)
    pack_id = request_build(client, scope_kind="department", department_id=dept.id)
    state = wait_for(client, pack_id)
    assert state["status"] == "failed"
    assert "QT-X-01" in state["error"] and "missing from storage" in state["error"]
    page = client.get(f"/evidence/{pack_id}").get_data(as_text=True)
    assert "The build failed." in page and "QT-X-01" in page
    assert client.get(f"/evidence/{pack_id}/download").status_code == 409


def test_a_build_whose_worker_died_is_shown_as_failed(app, make, login):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    with app.app_context():
        from datetime import date

        pack = EvidencePack(scope_kind="department", scope_id=dept.id, department_id=dept.id,
                            scope_label="x", period_start=date(2026, 1, 1),
                            period_end=date(2026, 2, 1), status="building", progress=40,
                            step="documents", job_key="k", created_by_id=coordinator.id,
                            created_at=utcnow() - timedelta(hours=3),
                            started_at=utcnow() - timedelta(hours=3))
        db.session.add(pack)
        db.session.commit()
        pack_id = pack.id
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, coordinator.email)
    state = client.get(f"/evidence/{pack_id}/status").get_json()
    assert state["status"] == "failed" and "stopped without finishing" in state["error"]
    assert "stopped without finishing" in client.get(f"/evidence/{pack_id}").get_data(
        as_text=True)


def test_packs_are_listed_newest_first_with_their_hash(app, make, login):
    from tests.evidence.helpers import pack_target

    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    first = pack_target(app, dept.id, coordinator.id)
    second = pack_target(app, dept.id, coordinator.id)
    client = app.test_client()
    login(client, coordinator.email)
    page = client.get("/evidence/").get_data(as_text=True)
    assert page.index(f"EP-{second.pack_id:05d}") < page.index(f"EP-{first.pack_id:05d}")


# The worker process's limits, not the data: on SQLite alone.
@pytest.mark.one_database
def test_the_worker_runs_under_its_memory_and_time_limits(app, make, login):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    doc_in_force(app, dept.id, coordinator.id, code="QT-Y-01", title="Quy trình")
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, coordinator.email)
    app.config["EVIDENCE_MEMORY_LIMIT_MB"] = 120
    state = wait_for(client, request_build(client, scope_kind="department",
                                           department_id=dept.id))
    assert state["status"] == "failed" and "120 MB" in state["error"], state
    app.config["EVIDENCE_MEMORY_LIMIT_MB"] = 3072
    app.config["EVIDENCE_TIME_LIMIT"] = 1
    state = wait_for(client, request_build(client, scope_kind="department",
                                           department_id=dept.id))
    assert state["status"] == "failed" and "limit of 1 seconds" in state["error"], state
