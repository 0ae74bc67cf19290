"""Departments through the browser: create, edit, validation, conflicts and their trail."""

from __future__ import annotations

import json
import re
import threading
import time

from sqlalchemy import select, text

from compliance.audit_trail.models import AuditEvent
from compliance.core.db import set_write_intent, write_intent
from compliance.core.extensions import db
from compliance.org import services
from compliance.org.models import Department


def _form(**overrides) -> dict:
    data = {"code": "TCKH", "name_vi": "Phòng Tài chính - Kế hoạch",
            "name_en": "Finance and Planning Office", "parent_id": "0", "active": "y"}
    data.update(overrides)
    return data


def _edit(client, department_id: int, **overrides):
    """Submit the edit form as the page offers it, with the version it carries."""
    page = client.get(f"/departments/{department_id}/edit")
    assert page.status_code == 200
    with client.application.app_context():
        dept = db.session.get(Department, department_id)
        data = _form(code=dept.code, name_vi=dept.name_vi, name_en=dept.name_en,
                     parent_id=str(dept.parent_id or 0), version=str(dept.version))
    data.update(overrides)
    return client.post(f"/departments/{department_id}/edit", data=data)


def _offered(page: str, field: str) -> set[str]:
    """The values a select field of the page offers."""
    select_html = re.search(rf'<select[^>]*name="{field}".*?</select>', page, re.S).group(0)
    return set(re.findall(r'<option[^>]*value="([^"]*)"', select_html))


def _events(app, department_id: int) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.entity_type == "department", AuditEvent.entity_id == str(department_id))
            .order_by(AuditEvent.seq)))


def _department(app, department_id: int) -> Department:
    with app.app_context():
        dept = db.session.get(Department, department_id)
        db.session.expunge(dept)
        return dept


def test_admin_creates_a_department(app, client, as_role):
    admin = as_role("admin")
    response = client.post("/departments/new", data=_form(code=" tckh "))
    assert response.status_code == 302
    with app.app_context():
        dept = db.session.scalar(select(Department).where(Department.code == "TCKH"))
        assert dept.name_en == "Finance and Planning Office"
    assert response.headers["Location"].endswith(f"/departments/{dept.id}")
    assert "TCKH" in client.get("/departments/").get_data(as_text=True)
    page = client.get(f"/departments/{dept.id}").get_data(as_text=True)
    assert "Phòng Tài chính - Kế hoạch" in page and "created the department TCKH" in page
    (event,) = _events(app, dept.id)
    assert event.action == "department.create" and event.actor_id == admin.id
    assert json.loads(event.after_json)["code"] == "TCKH"


def test_bad_code_is_a_form_error(app, client, as_role):
    as_role("admin")
    for code in ("bad code!", "", "x" * 33, "-LEADING"):
        response = client.post("/departments/new", data=_form(code=code))
        assert response.status_code == 400, code
    page = client.post("/departments/new", data=_form(code="bad code!")).get_data(as_text=True)
    assert "A code is 1 to 32 capital letters" in page
    with app.app_context():
        assert db.session.scalar(select(Department.id)) is None


def test_duplicate_code_is_a_form_error(app, client, make, as_role):
    make.department(code="TCKH")
    as_role("admin")
    response = client.post("/departments/new", data=_form(code="tckh"))
    assert response.status_code == 400
    assert "The code TCKH is already used." in response.get_data(as_text=True)
    other = make.department(code="TP")
    response = _edit(client, other.id, code="TCKH")
    assert response.status_code == 400
    assert "already used" in response.get_data(as_text=True)
    assert _department(app, other.id).code == "TP"


def test_missing_name_is_a_form_error(client, as_role):
    as_role("admin")
    assert client.post("/departments/new", data=_form(name_vi="")).status_code == 400


def test_admin_edits_a_department_and_the_trail_keeps_before_and_after(app, client, make,
                                                                       as_role):
    dept = make.department(code="TP", name_en="Justice")
    parent = make.department(code="VP")
    as_role("admin")
    response = _edit(client, dept.id, name_en="Justice Office", parent_id=str(parent.id))
    assert response.status_code == 302
    saved = _department(app, dept.id)
    assert (saved.name_en, saved.parent_id, saved.version) == ("Justice Office", parent.id, 2)
    (event,) = _events(app, dept.id)
    assert event.action == "department.update"
    assert json.loads(event.before_json)["name_en"] == "Justice"
    assert json.loads(event.after_json)["parent_id"] == parent.id


def test_deactivating_a_department(app, client, make, as_role):
    dept = make.department(code="TP")
    as_role("admin")
    data = _form(code="TP", name_vi=dept.name_vi, name_en=dept.name_en, version="1")
    del data["active"]  # an unticked box is simply absent
    assert client.post(f"/departments/{dept.id}/edit", data=data).status_code == 302
    assert _department(app, dept.id).active is False
    # An inactive department is no longer offered as a parent.
    page = client.get("/departments/new").get_data(as_text=True)
    assert _offered(page, "parent_id") == {"0"}


def test_a_department_cannot_become_its_own_ancestor(app, client, make, as_role):
    top = make.department(code="A")
    with app.app_context():
        middle = services.create_department(None, "B", "B", "B", top.id, check=False).id
        bottom = services.create_department(None, "C", "C", "C", middle, check=False).id
        db.session.commit()
    as_role("admin")
    for parent in (top.id, bottom, middle):
        response = _edit(client, top.id, parent_id=str(parent))
        assert response.status_code == 400, parent
        assert "cannot be placed under itself" in response.get_data(as_text=True)
    assert _department(app, top.id).parent_id is None
    assert _events(app, top.id) == []


def test_unknown_parent_is_refused(client, make, as_role):
    dept = make.department()
    as_role("admin")
    assert _edit(client, dept.id, parent_id="99999").status_code == 400


def test_stale_version_is_a_conflict(app, client, make, as_role):
    dept = make.department(code="TP", name_en="Justice")
    as_role("admin")
    assert _edit(client, dept.id, name_en="First edit").status_code == 302
    stale = _form(code="TP", name_vi=dept.name_vi, name_en="Second edit", version="1")
    response = client.post(f"/departments/{dept.id}/edit", data=stale)
    assert response.status_code == 409
    assert "Reload the page" in response.get_data(as_text=True)
    assert _department(app, dept.id).name_en == "First edit"
    assert [e.action for e in _events(app, dept.id)] == ["department.update"]


def test_unknown_department_is_404(client, as_role):
    as_role("admin")
    assert client.get("/departments/99999").status_code == 404
    assert client.get("/departments/99999/edit").status_code == 404
    assert client.post("/departments/99999/edit", data=_form(version="1")).status_code == 404


def test_only_admins_change_departments(app, client, make, as_role):
    dept = make.department(code="TP")
    as_role("coordinator")
    assert client.get("/departments/").status_code == 200
    assert client.get("/departments/new").status_code == 403
    assert client.post("/departments/new", data=_form()).status_code == 403
    response = client.post(f"/departments/{dept.id}/edit", data=_form(code="TP", version="1"))
    assert response.status_code == 403
    assert _department(app, dept.id).name_en == dept.name_en
    with app.app_context():
        assert db.session.scalar(select(Department.id).where(Department.code == "TCKH")) is None


def _wait_until_blocked(app, database_kind: str) -> None:
    """Until the request is queued behind the open transaction (PostgreSQL shows it)."""
    if database_kind != "postgresql":
        time.sleep(0.5)  # SQLite: the request waits at BEGIN IMMEDIATE; nothing to observe
        return
    deadline = time.monotonic() + 20
    # The observer only reads: it must not queue for the writers' lock itself.
    set_write_intent(False)
    try:
        with app.app_context():
            while time.monotonic() < deadline:
                # Writers now queue at BEGIN, on the advisory lock every writer takes.
                waiting = db.session.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND (query LIKE '%pg_advisory_xact_lock%' "
                    "OR query LIKE 'INSERT INTO department%') AND pid <> pg_backend_pid()"))
                db.session.rollback()
                if waiting:
                    return
                time.sleep(0.05)
    finally:
        set_write_intent(True)
    raise AssertionError("the second create never queued behind the first")


def test_simultaneous_creates_with_one_code_give_a_form_error(app, client, as_role,
                                                              database_kind):
    as_role("admin")
    responses = []
    with app.app_context(), write_intent():
        # One create holds the code, uncommitted, while the other request arrives.
        services.create_department(None, "TCKH", "Một", "One", check=False)
        worker = threading.Thread(target=lambda: responses.append(
            client.post("/departments/new", data=_form(code="TCKH"))))
        worker.start()
        _wait_until_blocked(app, database_kind)
        db.session.commit()
    worker.join(timeout=60)
    (response,) = responses
    assert response.status_code == 400
    assert "The code TCKH is already used." in response.get_data(as_text=True)


def test_a_department_under_an_inactive_parent_can_still_be_edited(app, client, make,
                                                                   as_role):
    parent = make.department(code="OLD", active=False)
    with app.app_context():
        child = services.create_department(None, "NEW", "Mới", "New", parent.id, check=False).id
        db.session.commit()
    as_role("admin")
    page = client.get(f"/departments/{child}/edit").get_data(as_text=True)
    assert str(parent.id) in _offered(page, "parent_id")
    assert _edit(client, child, name_en="Renamed").status_code == 302
    assert _department(app, child).parent_id == parent.id
