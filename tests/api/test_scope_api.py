"""Issue 17, item 5 through the API: the months of on-time handling posted as JSON with a
token (checked as the CSV import checks its lines; every month or none; a month posted
again refused with 409 unless replaced); the scope register and the register of external
documents read (items 1 and 8)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from compliance.core.extensions import db
from compliance.scope.models import HandlingMonth
from tests.api.helpers import bearer
from tests.documents.helpers import external_target
from tests.scope.helpers import scope_entry

URL = "/api/v1/scope/handling/months"


def _month(code="1.001193", month="2026-05", received=60, on_time=57, late=3, **more):
    return {"code": code, "month": month, "received": received, "on_time": on_time,
            "late": late, **more}


def _stored(app) -> dict:
    with app.app_context():
        return {(r.month, r.received, r.on_time, r.late, r.apologies, r.filename)
                for r in db.session.scalars(select(HandlingMonth))}


@pytest.mark.one_database
def test_months_posted_through_the_api_as_the_csv_import_writes_them(app, make, clock):
    coordinator = make.user(roles=["coordinator"])
    entry_id = scope_entry(app, coordinator.id)
    api, auth = app.test_client(), bearer(app, coordinator.id)

    wrong = api.post(URL, headers=auth, json={"months": [
        _month(code="9.999999"), _month(month="2026-07"), _month(on_time=70),
        _month(month="2026-04")]})
    assert wrong.status_code == 400
    error = wrong.get_json()["error"]
    assert error["field"] == "months" and "3 lines" in error["message"]
    assert error["lines"] == [
        {"item": 1, "reason": "no procedure in scope has the code “9.999999”"},
        {"item": 2, "reason": "the month 2026-07 has not begun"},
        {"item": 3, "reason": "more dossiers settled (73) than received (60)"}]
    negative = api.post(URL, headers=auth, json={"months": [_month(late=-1)]})
    assert negative.status_code == 422 and negative.get_json()["error"]["field"] == "months"
    assert _stored(app) == set()

    posted = api.post(URL, headers=auth, json={"months": [
        _month(month="2026-04", received=40, on_time=38, late=2, apologies=2), _month()]})
    assert posted.status_code == 201, posted.get_json()
    assert posted.get_json() == {"months": ["2026-04", "2026-05"]}
    assert _stored(app) == {("2026-04", 40, 38, 2, 2, "api"), ("2026-05", 60, 57, 3, 0, "api")}

    again = api.post(URL, headers=auth, json={"months": [_month(on_time=50, late=10)]})
    assert again.status_code == 409
    assert again.get_json()["error"]["field"] == "replace"
    assert "2026-05" in again.get_json()["error"]["message"]
    replaced = api.post(URL, headers=auth, json={"months": [_month(on_time=50, late=10)],
                                                 "replace": True})
    assert replaced.status_code == 201
    assert ("2026-05", 60, 50, 10, 0, "api") in _stored(app)

    # A reader of the scope lists its entries; one who does not keep it may not post.
    head = make.user(roles=["auditor"])
    listed = api.get("/api/v1/scope/entries/?kind=procedure", headers=bearer(app, head.id))
    assert listed.status_code == 200
    assert [(e["id"], e["national_code"], e["in_scope"]) for e in listed.get_json()] == [
        (entry_id, "1.001193", True)]
    assert api.post(URL, headers=bearer(app, head.id), json={"months": [_month()]}) \
        .status_code == 403
    assert api.get("/api/v1/scope/entries/?kind=nope", headers=auth).status_code == 422


@pytest.mark.one_database
def test_the_register_of_external_documents_is_read_through_the_api(app, make):
    department = make.department()
    coordinator = make.user(roles=["coordinator"])
    made = external_target(app, "documents.external.page", department.id, coordinator.id)
    api, auth = app.test_client(), bearer(app, coordinator.id)
    listed = api.get("/api/v1/external-documents/?kind=decree&status=in_force"
                     "&due_by=2027-03-05", headers=auth)
    assert listed.status_code == 200
    assert [(d["id"], d["legal_number"], d["issuing_body"], d["check_on"])
            for d in listed.get_json()] == [
        (made.external_id, "30/2020/NĐ-CP", "Chính phủ", "2027-03-05")]
    for query in ("kind=law", "due_by=2027-03-04"):
        assert api.get(f"/api/v1/external-documents/?{query}", headers=auth).get_json() == []
    refused = api.get("/api/v1/external-documents/?status=repealed", headers=auth)
    assert refused.status_code == 422 and refused.get_json()["error"]["field"] == "status"
