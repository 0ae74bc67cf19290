"""Issue 15: an evidence pack requested, polled, downloaded and shared through the API, built
by the same worker process as the page's."""

from __future__ import annotations

import time

import pytest

from tests.api.helpers import bearer
from tests.evidence.helpers import doc_in_force


def _wait(api, url: str, headers: dict, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pack = api.get(url, headers=headers).json
        if pack["status"] in ("ready", "failed"):
            return pack
        time.sleep(0.3)
    raise AssertionError(f"{url} still {pack['status']} after {timeout} s")


# The worker and the PDF, not the data: on SQLite alone (the pages' build tests run both).
@pytest.mark.one_database
def test_a_pack_is_built_polled_downloaded_and_shared(app, make):
    dept, other = make.department(), make.department()
    head = make.user(departments=[(dept.id, "department_head")])
    doc_in_force(app, dept.id, head.id, code="QT-API-01", title="Quy trình tiếp nhận")
    api, headers = app.test_client(), bearer(app, head.id)
    period = {"period_start": "2026-01-01", "period_end": "2026-12-31"}
    elsewhere = api.post("/api/v1/evidence-packs/", headers=headers, json={
        "scope_kind": "department", "scope_id": other.id, **period})
    assert elsewhere.status_code == 403
    staff = bearer(app, make.user(departments=[(dept.id, "staff")]).id)
    assert api.post("/api/v1/evidence-packs/", headers=staff, json={}).status_code == 403
    asked = api.post("/api/v1/evidence-packs/", headers=headers, json={
        "scope_kind": "department", "scope_id": dept.id, **period})
    assert asked.status_code == 202 and asked.json["status"] == "queued", asked.json
    url = asked.headers["Location"]
    assert url.endswith(f"/api/v1/evidence-packs/{asked.json['id']}")
    early = api.get(url + "/download", headers=headers)
    assert early.status_code in (200, 409)  # 409 while it builds
    pack = _wait(api, url, headers)
    assert pack["status"] == "ready" and pack["progress"] == 100, pack
    data = api.get(url + "/download", headers=headers)
    assert data.status_code == 200 and data.data.startswith(b"%PDF")
    assert [p["id"] for p in api.get("/api/v1/evidence-packs/", headers=headers).json] == \
        [pack["id"]]
    past = api.post(url + "/links/", headers=headers, json={"expires_on": "2020-01-01"})
    assert past.status_code == 400 and past.json["error"]["field"] == "expires_on"
    link = api.post(url + "/links/", headers=headers,
                    json={"expires_on": "2027-01-31", "note": "Tổ chức chứng nhận"})
    assert link.status_code == 201 and "/shared/" in link.json["url"]
    shared = app.test_client().get(link.json["url"])
    assert shared.status_code == 200
    revoke = f"{url}/links/{link.json['id']}/revoke"
    assert api.post(revoke, headers=headers).json["revoked_at"]
    assert api.post(revoke, headers=headers).status_code == 409
    assert app.test_client().get(link.json["url"]).status_code == 410
    assert api.get(url, headers=staff).status_code == 403
    stranger = bearer(app, make.user(departments=[(other.id, "department_head")]).id)
    assert api.get(url, headers=stranger).status_code == 404
