"""The scope register through the pages: kept by coordinators, read by auditors and heads,
not by staff; each change is a new version (409 on a stale edit) and leaves a trail."""

from __future__ import annotations

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.scope.models import ScopeEntry
from tests.conftest import do_login

PROCEDURE = {"kind": "procedure", "name": "Đăng ký khai sinh", "national_code": "1.001193",
             "field": "Hộ tịch", "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
             "time_limit_days": "1", "department_id": "0", "process_id": "0"}


def test_the_coordinator_keeps_the_scope_and_others_read_it(app, client, as_role, make):
    department = make.department(code="TP", name_vi="Phòng Tư pháp", name_en="Justice Office")
    coordinator = as_role("coordinator")
    assert client.get("/scope/new").status_code == 200
    sent = {**PROCEDURE, "department_id": str(department.id)}
    assert client.post("/scope/new", data={**sent, "name": ""}).status_code == 400
    assert client.post("/scope/new", data=sent).status_code == 302
    with app.app_context():
        entry = db.session.scalars(select(ScopeEntry)).one()
        entry_id, version = entry.id, entry.version
    page = client.get("/scope/").get_data(as_text=True)
    assert "Đăng ký khai sinh" in page and "1.001193" in page and "Justice Office" in page

    edit = {**sent, "time_limit_days": "3", "in_scope": "y", "version": str(version)}
    assert client.post(f"/scope/{entry_id}", data=edit).status_code == 302
    # The same form again, made on the version before: the other change is kept.
    assert client.post(f"/scope/{entry_id}", data=edit).status_code == 409
    assert client.post(f"/scope/{entry_id}", data={**edit, "version": ""}).status_code == 409
    page = client.get(f"/scope/{entry_id}").get_data(as_text=True)
    assert coordinator.name in page and "Time limit (days)" in page
    with app.app_context():
        entry = db.session.get(ScopeEntry, entry_id)
        assert (entry.time_limit_days, entry.version) == (3, version + 1)
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_type == "scope_entry").order_by(AuditEvent.seq)).all()
    assert actions == ["scope_entry.create", "scope_entry.edit"]

    client.post("/logout")
    auditor = make.user(roles=["auditor"])
    do_login(client, auditor.email)
    assert client.get("/scope/").status_code == 200
    assert "Đăng ký khai sinh" in client.get(f"/scope/{entry_id}").get_data(as_text=True)
    assert client.post(f"/scope/{entry_id}", data={**edit, "version": "2"}).status_code == 403
    assert client.post("/scope/new", data=sent).status_code == 403
    client.post("/logout")
    staff = make.user(departments=[(department.id, "staff")])
    do_login(client, staff.email)
    assert client.get("/scope/").status_code == 403
    assert client.get(f"/scope/{entry_id}").status_code == 403
