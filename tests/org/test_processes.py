"""Processes (clause 4.4) through the browser: coordinators keep them, the trail remembers."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.org.models import Process


def _form(department_id: int, **overrides) -> dict:
    data = {"code": "P-TCKH-01", "name_vi": "Thẩm định dự toán ngân sách",
            "name_en": "Budget estimate appraisal", "department_id": str(department_id),
            "owner_id": "0", "kind": "ordinary", "inputs": "Dự toán của đơn vị",
            "outputs": "Báo cáo thẩm định"}
    data.update(overrides)
    return data


def _offered(page: str, field: str) -> set[str]:
    """The values a select field of the page offers."""
    select_html = re.search(rf'<select[^>]*name="{field}".*?</select>', page, re.S).group(0)
    return set(re.findall(r'<option[^>]*value="([^"]*)"', select_html))


def _process(app, code: str) -> Process | None:
    with app.app_context():
        process = db.session.scalar(select(Process).where(Process.code == code))
        if process is not None:
            db.session.expunge(process)
        return process


def _events(app, process_id: int) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.entity_type == "process", AuditEvent.entity_id == str(process_id))
            .order_by(AuditEvent.seq)))


def test_coordinator_creates_a_process(app, client, make, as_role):
    dept = make.department(code="TCKH")
    owner = make.user(name="Lê Văn Phúc", departments=[(dept.id, "department_head")])
    coordinator = as_role("coordinator")
    response = client.post("/processes/new", data=_form(dept.id, owner_id=str(owner.id)))
    assert response.status_code == 302
    process = _process(app, "P-TCKH-01")
    # Saved, the coordinator lands on the new process's page.
    assert response.headers["Location"].endswith(f"/processes/{process.id}")
    assert (process.department_id, process.owner_id) == (dept.id, owner.id)
    listing = client.get("/processes/").get_data(as_text=True)
    assert "P-TCKH-01" in listing and "Lê Văn Phúc" in listing
    (event,) = _events(app, process.id)
    assert event.action == "process.create" and event.actor_id == coordinator.id
    assert json.loads(event.after_json)["inputs"] == "Dự toán của đơn vị"


def test_a_process_without_an_owner(app, client, make, as_role):
    dept = make.department()
    as_role("coordinator")
    assert client.post("/processes/new", data=_form(dept.id)).status_code == 302
    assert _process(app, "P-TCKH-01").owner_id is None


def test_coordinator_edits_a_process(app, client, make, as_role):
    dept = make.department()
    other = make.department()
    process = make.process(dept.id, code="P-01", outputs="Old result")
    as_role("coordinator")
    form = client.get(f"/processes/{process.id}/edit")
    assert form.status_code == 200
    assert 'name="version" type="hidden" value="1"' in form.get_data(as_text=True)
    response = client.post(f"/processes/{process.id}/edit", data=_form(
        other.id, code="P-01", outputs="New result", version="1"))
    assert response.status_code == 302
    saved = _process(app, "P-01")
    assert (saved.department_id, saved.outputs, saved.version) == (other.id, "New result", 2)
    (event,) = _events(app, process.id)
    assert event.action == "process.update"
    assert json.loads(event.before_json)["outputs"] == "Old result"
    assert json.loads(event.after_json)["department_id"] == other.id


def test_stale_process_edit_is_a_conflict(app, client, make, as_role):
    dept = make.department()
    process = make.process(dept.id, code="P-01")
    as_role("coordinator")
    first = client.post(f"/processes/{process.id}/edit",
                        data=_form(dept.id, code="P-01", name_en="First", version="1"))
    assert first.status_code == 302
    stale = client.post(f"/processes/{process.id}/edit",
                        data=_form(dept.id, code="P-01", name_en="Second", version="1"))
    assert stale.status_code == 409
    assert "Reload the page" in stale.get_data(as_text=True)
    assert _process(app, "P-01").name_en == "First"
    assert len(_events(app, process.id)) == 1


def test_process_validation_errors_are_form_errors(app, client, make, as_role):
    dept = make.department()
    make.process(dept.id, code="P-01")
    as_role("coordinator")
    duplicate = client.post("/processes/new", data=_form(dept.id, code="p-01"))
    assert duplicate.status_code == 400
    assert "The code P-01 is already used." in duplicate.get_data(as_text=True)
    assert client.post("/processes/new", data=_form(dept.id, code="no spaces")).status_code == 400
    assert client.post("/processes/new", data=_form(99999)).status_code == 400
    assert client.post("/processes/new", data=_form(dept.id, name_en="")).status_code == 400
    assert client.post("/processes/new",
                       data=_form(dept.id, owner_id="99999")).status_code == 400
    with app.app_context():
        assert db.session.scalars(select(Process.code)).all() == ["P-01"]


def test_inactive_department_is_not_offered(app, client, make, as_role):
    dept = make.department(active=False)
    live = make.department()
    as_role("coordinator")
    offered = _offered(client.get("/processes/new").get_data(as_text=True), "department_id")
    assert offered == {"", str(live.id)}
    assert client.post("/processes/new", data=_form(dept.id)).status_code == 400


def test_unknown_process_is_404(client, as_role):
    as_role("coordinator")
    assert client.get("/processes/99999/edit").status_code == 404


def test_admin_may_manage_processes_and_others_may_not(app, client, make, as_role, login):
    dept = make.department()
    as_role("department_head", dept.id)
    assert client.get("/processes/").status_code == 200
    assert client.get("/processes/new").status_code == 403
    assert client.post("/processes/new", data=_form(dept.id)).status_code == 403
    assert _process(app, "P-TCKH-01") is None

    admin_client = app.test_client()
    admin = make.user(roles=["admin"])
    assert login(admin_client, admin.email).status_code == 302
    assert admin_client.post("/processes/new", data=_form(dept.id)).status_code == 302


def test_a_process_of_an_inactive_department_can_still_be_edited(app, client, make, as_role):
    dept = make.department(active=False)
    process = make.process(dept.id, code="P-01")
    as_role("coordinator")
    page = client.get(f"/processes/{process.id}/edit").get_data(as_text=True)
    assert str(dept.id) in _offered(page, "department_id")
    response = client.post(f"/processes/{process.id}/edit",
                           data=_form(dept.id, code="P-01", name_en="Renamed", version="1"))
    assert response.status_code == 302
    assert _process(app, "P-01").name_en == "Renamed"
