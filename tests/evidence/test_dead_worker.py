"""A pack whose worker died with no word (killed with its supervisor, or never started) shows
as failed within a minute, says why, and is built again from its page."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db
from compliance.evidence.models import SILENT_AFTER_SECONDS, EvidencePack
from compliance.evidence.progress import Heartbeat
from tests.evidence.helpers import wait_for

SECOND = timedelta(seconds=1)
SILENCE = timedelta(seconds=SILENT_AFTER_SECONDS)


def _pack(app, dept_id: int, creator_id: int, status: str, age: timedelta,
          silent_for: timedelta | None = None) -> int:
    now = utcnow()
    with app.app_context(), write_intent():
        pack = EvidencePack(scope_kind="department", scope_id=dept_id, department_id=dept_id,
                            scope_label="Phòng", locale="en", period_start=date(2026, 1, 1),
                            period_end=date(2026, 3, 31), status=status,
                            progress=0 if status == "queued" else 40,
                            step=status, job_key="k" * 32, created_by_id=creator_id,
                            created_at=now - age,
                            started_at=None if status == "queued" else now - age,
                            heartbeat_at=None if silent_for is None else now - silent_for)
        db.session.add(pack)
        db.session.commit()
        return pack.id


def _state(client, pack_id: int) -> dict:
    return client.get(f"/evidence/{pack_id}/status").get_json()


def _client(app, make, login):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, coordinator.email)
    return client, dept, coordinator


def test_a_pack_no_worker_took_up_fails_after_a_minute_and_is_built_again(app, make, login):
    client, dept, coordinator = _client(app, make, login)
    waiting = _pack(app, dept.id, coordinator.id, "queued", SILENCE - 5 * SECOND)
    assert _state(client, waiting)["status"] == "queued"
    dead = _pack(app, dept.id, coordinator.id, "queued", SILENCE + SECOND)
    state = _state(client, dead)
    assert state["status"] == "failed" and "never started" in state["error"]
    page = client.get(f"/evidence/{dead}").get_data(as_text=True)
    assert "never started" in page
    form = page[page.index('data-testid="build-again"'):]
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form[:form.index("</form>")]))
    assert fields["scope_kind"] == "department" and fields["department_id"] == str(dept.id)
    response = client.post("/evidence/", data=fields)
    assert response.status_code == 302
    again = int(response.headers["Location"].rsplit("/", 1)[1])
    assert wait_for(client, again)["status"] == "ready"
    with app.app_context():
        built = db.session.get(EvidencePack, again)
        assert (built.period_start, built.period_end) == (date(2026, 1, 1), date(2026, 3, 31))
        # The worker said it was alive as it built.
        assert built.heartbeat_at is not None and built.heartbeat_at >= built.started_at


def test_a_building_pack_whose_worker_fell_silent_fails_after_a_minute(app, make, login):
    client, dept, coordinator = _client(app, make, login)
    alive = _pack(app, dept.id, coordinator.id, "building", 5 * SILENCE, 5 * SECOND)
    assert _state(client, alive)["status"] == "building"
    silent = _pack(app, dept.id, coordinator.id, "building", 5 * SILENCE, SILENCE + SECOND)
    state = _state(client, silent)
    assert state["status"] == "failed" and "no sign of life" in state["error"]
    assert "Build it again" in client.get(f"/evidence/{silent}").get_data(as_text=True)


def test_the_heartbeat_writes_while_the_build_runs(app, make):
    dept, creator = make.department(), make.user(roles=["coordinator"])
    pack_id = _pack(app, dept.id, creator.id, "building", SECOND, SILENCE)
    with app.app_context():
        before = db.session.get(EvidencePack, pack_id).heartbeat_at
        db.session.rollback()  # end the read, so the next one sees what the thread wrote
        with Heartbeat(app, pack_id, "k" * 32, every=0.05):
            time.sleep(0.4)
        beat = db.session.get(EvidencePack, pack_id).heartbeat_at
        assert beat > before
        db.session.rollback()
        # Another worker's key writes nothing.
        with Heartbeat(app, pack_id, "other", every=0.05):
            time.sleep(0.2)
        assert db.session.get(EvidencePack, pack_id).heartbeat_at == beat
