"""Issue 15: JSON errors with a code (and the field, for validation) in the caller's
language, and optimistic concurrency: ETag on reads, If-Match on writes (412, 428)."""

from __future__ import annotations

import pytest

from tests.api.helpers import bearer

VI = {"Accept-Language": "vi"}


@pytest.mark.one_database
def test_errors_carry_a_code_the_field_and_the_callers_language(app, make):
    api = app.test_client()
    process = make.process(make.department().id)
    url = f"/api/v1/processes/{process.id}"
    anonymous = api.get("/api/v1/processes/", headers=VI).json["error"]
    assert anonymous == {"status": 401, "code": "missing_token",
                         "message": "Cần có mã truy cập (bearer token)."}
    admin = make.user(roles=["admin"]).id
    headers = bearer(app, admin)
    too_many = api.get("/api/v1/processes/?limit=0", headers=headers).json["error"]
    assert (too_many["code"], too_many["field"]) == ("invalid", "limit")
    assert too_many["message"] == "Must be from 1 to 200."
    in_vi = api.get("/api/v1/processes/?limit=0", headers={**headers, **VI}).json["error"]
    assert in_vi["message"] == "Phải từ 1 đến 200."
    sort = api.get("/api/v1/processes/?sort=owner", headers={**headers, **VI})
    assert sort.status_code == 422 and sort.json["error"]["field"] == "sort"
    assert sort.json["error"]["message"].startswith("Phải là một trong: code, name_vi")
    cursor = api.get("/api/v1/processes/?cursor=%25%25", headers=headers)
    assert cursor.status_code == 400 and cursor.json["error"]["field"] == "cursor"
    missing = api.get("/api/v1/processes/999999", headers={**headers, **VI}).json["error"]
    assert missing == {"status": 404, "code": "not_found",
                       "message": "Không tìm thấy quá trình."}
    typed = api.patch(url, json={"time_limit_days": "x"}, headers={**headers, **VI})
    assert typed.status_code == 422
    assert typed.json["error"] == {"status": 422, "code": "invalid", "field": "time_limit_days",
                                   "message": "Không phải số nguyên hợp lệ."}
    unknown = api.patch(url, json={"owner": 1}, headers=headers).json["error"]
    assert (unknown["field"], unknown["message"]) == ("owner", "Unknown field.")
    read_only = api.patch(url, json={}, headers=bearer(app, admin, "read"))
    assert read_only.status_code == 403
    assert read_only.json["error"]["code"] == "insufficient_scope"
    # A rule of the service, refused at its field, after the precondition passed.
    etag = api.get(url, headers=headers).headers["ETag"]
    refused = api.patch(url, json={"kind": "administrative"},
                        headers={**headers, "If-Match": etag})
    assert refused.status_code == 400
    assert (refused.json["error"]["code"], refused.json["error"]["field"]) == \
        ("invalid", "time_limit_days")
    nowhere = api.get("/api/v1/processes/1/nothing", headers=headers)
    assert nowhere.status_code == 404


def test_a_write_names_the_version_it_was_made_on(app, make):
    api = app.test_client()
    department = make.department()
    process = make.process(department.id)
    url = f"/api/v1/processes/{process.id}"
    headers = bearer(app, make.user(roles=["coordinator"]).id)
    read = api.get(url, headers=headers)
    etag = read.headers["ETag"]
    assert etag == f'"process-{process.id}-{read.json["version"]}"'
    assert api.get(f"/api/v1/departments/{department.id}", headers=headers).headers["ETag"]
    missing = api.patch(url, json={"name_en": "Budget"}, headers=headers)
    assert missing.status_code == 428
    assert missing.json["error"]["code"] == "precondition_required"
    stale = api.patch(url, json={"name_en": "Budget"}, headers={**headers, "If-Match": '"x"'})
    assert stale.status_code == 412 and stale.json["error"]["code"] == "precondition_failed"
    saved = api.patch(url, json={"name_en": "Budget"}, headers={**headers, "If-Match": etag})
    assert saved.status_code == 200 and saved.json["name_en"] == "Budget"
    assert saved.headers["ETag"] != etag
    assert saved.json["code"] == process.code  # what the change left out stays
    again = api.patch(url, json={"name_en": "Late"}, headers={**headers, "If-Match": etag})
    assert again.status_code == 412
    assert api.get(url, headers=headers).json["name_en"] == "Budget"
    # Refused by the rule book before any precondition: a head does not manage processes.
    head = bearer(app, make.user(departments=[(department.id, "department_head")]).id)
    forbidden = api.patch(url, json={"name_en": "X"}, headers={**head, "If-Match": etag})
    assert forbidden.status_code == 403 and forbidden.json["error"]["code"] == "forbidden"
