"""The mapping table's pages: an administrator adds, changes and removes rules (each in the
trail); bad input stays at its field with the input kept; a stale edit is a conflict; other
roles are refused."""

from __future__ import annotations

from sqlalchemy import select

from compliance.auth.sso.models import MappingRule
from compliance.core.extensions import db
from tests.auth.test_admin_users import events


def _rules(app) -> list[tuple]:
    with app.app_context():
        return [(r.group, r.role, r.department_id, r.version)
                for r in db.session.scalars(select(MappingRule).order_by(MappingRule.id))]


def test_an_administrator_keeps_the_mapping_table(app, client, make, as_role):
    department = make.department()
    as_role("admin")
    page = client.get("/admin/sso/mapping")
    assert page.status_code == 200 and "There are no mapping rules yet" in page.get_data(
        as_text=True)
    added = client.post("/admin/sso/mapping", data={
        "group": "CN=TCKH-Heads,OU=Groups,DC=example,DC=vn", "role": "department_head",
        "department_id": department.id})
    assert added.status_code == 302
    [(group, role, department_id, version)] = _rules(app)
    assert (group, role, department_id) == ("CN=TCKH-Heads,OU=Groups,DC=example,DC=vn",
                                            "department_head", department.id)
    assert events(app, "sso.mapping_create")[-1].after["department"] == department.code

    # A department role without its department: at the field, the input kept.
    refused = client.post("/admin/sso/mapping", data={"group": "staff-group", "role": "staff",
                                                      "department_id": ""})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'id="department_id-error-0">A department role needs its department.' in html
    assert 'value="staff-group"' in html

    rule_id = _stored_id(app)
    edit = f"/admin/sso/mapping/{rule_id}/edit"
    assert client.post(edit, data={"group": "auditors", "role": "auditor", "department_id": "",
                                   "version": version}).status_code == 302
    assert _rules(app)[0][:3] == ("auditors", "auditor", None)
    # The form as it was before that change: someone else's edit came first.
    assert client.post(edit, data={"group": "late", "role": "auditor", "department_id": "",
                                   "version": version}).status_code == 409
    assert client.post(f"/admin/sso/mapping/{rule_id}/delete").status_code == 302
    assert _rules(app) == []
    assert [e.action for e in events(app, "sso.mapping")] == [
        "sso.mapping_create", "sso.mapping_update", "sso.mapping_delete"]


def _stored_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(MappingRule.id))


def test_other_roles_cannot_see_or_change_the_table(app, client, as_role):
    as_role("coordinator")
    assert client.get("/admin/sso/mapping").status_code == 403
    assert client.post("/admin/sso/mapping", data={"group": "x", "role": "admin"}
                       ).status_code == 403
    assert _rules(app) == []
