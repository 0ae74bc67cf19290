"""Issue 15: corrective actions, their actions and effectiveness checks through the API, with
the rules and services of the corrective action's page."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from compliance.capa.models import CorrectiveFile
from compliance.core.extensions import db
from tests.api.helpers import bearer
from tests.capa.helpers import ca_in_state
from tests.documents.helpers import pdf_bytes


def _ids(api, url: str, headers: dict) -> list[int]:
    answer = api.get(url, headers=headers)
    assert answer.status_code == 200, answer.json
    return [row["id"] for row in answer.json]


def test_corrective_actions_are_listed_read_and_their_actions_done(app, make, clock):
    own, other = make.department(), make.department()
    coordinator = make.user(roles=["coordinator"])
    owner = make.user(departments=[(own.id, "staff")])
    running = ca_in_state(app, own.id, "actions_in_progress", coordinator_id=coordinator.id,
                          owner_id=owner.id)
    opened = ca_in_state(app, other.id, "open", coordinator_id=coordinator.id,
                         owner_id=coordinator.id)
    api, boss = app.test_client(), bearer(app, coordinator.id)
    assert _ids(api, "/api/v1/corrective-actions/", boss) == [running.ca_id, opened.ca_id]
    assert _ids(api, f"/api/v1/corrective-actions/?department={own.id}", boss) == \
        [running.ca_id]
    assert _ids(api, "/api/v1/corrective-actions/?status=open", boss) == [opened.ca_id]
    assert running.ca_id not in _ids(api, "/api/v1/corrective-actions/?overdue=true", boss)
    first = api.get("/api/v1/corrective-actions/?sort=-reference&limit=1", headers=boss)
    after = re.search(r"<([^>]+)>", first.headers["Link"]).group(1)
    assert [first.json[0]["id"], *_ids(api, after, boss)] == [opened.ca_id, running.ca_id]
    url = f"/api/v1/corrective-actions/{running.ca_id}"
    read = api.get(url, headers=boss)
    assert read.headers["ETag"] == f'"corrective_action-{running.ca_id}-{read.json["version"]}"'
    assert "complete_action" in read.json["actions"] and read.json["overdue"] is False
    # The owner of an action sees its corrective action, not another department's.
    mine = bearer(app, owner.id)
    assert _ids(api, "/api/v1/corrective-actions/", mine) == [running.ca_id]
    assert api.get(f"/api/v1/corrective-actions/{opened.ca_id}",
                   headers=mine).status_code == 404
    actions = api.get(url + "/actions/", headers=mine).json
    assert [(a["id"], a["allowed"]) for a in actions] == [(running.action_id, ["complete"])]
    action_url = f"{url}/actions/{running.action_id}"
    etag = api.get(action_url, headers=mine).headers["ETag"]
    done = action_url + "/done"
    auditor = bearer(app, make.user(roles=["auditor"]).id)
    assert api.post(done, json={}, headers={**auditor, "If-Match": etag}).status_code == 403
    assert api.post(done, json={}, headers=mine).status_code == 428
    assert api.post(done, json={}, headers={**mine, "If-Match": '"x"'}).status_code == 412
    saved = api.post(done, json={"note": "Đã lập sổ"}, headers={**mine, "If-Match": etag})
    assert saved.status_code == 200, saved.json
    assert (saved.json["status"], saved.json["done_note"]) == ("done", "Đã lập sổ")
    again = api.post(done, json={}, headers={**mine, "If-Match": saved.headers["ETag"]})
    assert again.status_code == 409
    # The last action done schedules the effectiveness check, as on the page.
    assert api.get(url, headers=boss).json["status"] == "verifying"
    checks = api.get(url + "/checks/", headers=boss).json
    assert [c["status"] for c in checks] == ["pending"]
    clock.advance(days=80)  # past the check's due date, within the token's
    assert running.ca_id in _ids(api, "/api/v1/corrective-actions/?overdue=true", boss)
    close = api.post(url + "/close", headers=boss)
    assert close.status_code == 403
    assert close.json["error"]["code"] == "reauthentication_required"
    assert close.json["error"]["link"].endswith(f"/corrective-actions/{running.ca_id}")


def test_a_corrective_action_is_taken_from_containment_to_its_check(app, make, clock):
    own = make.department()
    coordinator = make.user(roles=["coordinator"])
    owner = make.user(departments=[(own.id, "staff")])
    opened = ca_in_state(app, own.id, "open", coordinator_id=coordinator.id,
                         owner_id=owner.id, grade="minor")
    api, boss = app.test_client(), bearer(app, coordinator.id)
    url = f"/api/v1/corrective-actions/{opened.ca_id}"

    def step(path: str, body: dict, expected: int = 200, form: bool = False):
        etag = api.get(url, headers=boss).headers["ETag"]
        sent = {"data": body} if form else {"json": body}
        answer = api.post(url + path, **sent, headers={**boss, "If-Match": etag})
        assert answer.status_code == expected, answer.json
        return answer

    correction = {"correction": "Gọi lại cho công dân", "corrected_on": "2026-06-15"}
    assert api.post(url + "/containment", json=correction, headers=boss).status_code == 428
    future = step("/containment", {**correction, "corrected_on": "2099-01-01"}, 400)
    assert future.json["error"]["field"] == "corrected_on"
    assert step("/containment", correction).json["status"] == "contained"
    step("/containment", correction, 409)  # not open any more
    analysed = step("/analysis", {"whys": ["Không có sổ theo dõi"], "ishikawa": "method",
                                  "extent": "Chỉ phòng này"})
    assert analysed.json["status"] == "analysed" and analysed.json["ishikawa"] == "method"
    plan = {"description": "Lập sổ theo dõi", "owner_id": owner.id, "due_on": "2026-07-01"}
    staff = bearer(app, owner.id)
    # Staff owning none of its actions yet do not know of it.
    assert api.post(url + "/actions/", json=plan, headers=staff).status_code == 404
    past = api.post(url + "/actions/", json={**plan, "due_on": "2020-01-01"}, headers=boss)
    assert past.status_code == 400 and past.json["error"]["field"] == "due_on"
    added = api.post(url + "/actions/", json=plan, headers=boss)
    assert added.status_code == 201 and added.json["owner_id"] == owner.id
    action_url = f"{url}/actions/{added.json['id']}"
    # Done with its evidence file, a multipart form as the page sends: a text for a file
    # is a 400, a file its content refuses a 415, each at `file`.
    done, sure = action_url + "/done-with-evidence", {**staff, "If-Match": added.headers["ETag"]}
    for wrong, status in (("not a file", 400), ((io.BytesIO(b"MZ\x90\x00"), "so.pdf"), 415)):
        refused = api.post(done, data={"note": "Xong", "file": wrong}, headers=sure)
        assert (refused.status_code, refused.json["error"]["field"]) == (status, "file")
    proved = api.post(done, data={"note": "Xong", "file": (io.BytesIO(pdf_bytes()),
                                                           "so-theo-doi.pdf")}, headers=sure)
    assert proved.status_code == 200 and proved.json["status"] == "done", proved.json
    with app.app_context():
        stored = db.session.scalars(select(CorrectiveFile.filename).where(
            CorrectiveFile.action_id == added.json["id"])).all()
    assert stored == ["so-theo-doi.pdf"]
    check_id = api.get(url + "/checks/", headers=boss).json[0]["id"]
    result = f"/checks/{check_id}/result"
    assert api.post(url + result, data={"effective": "false", "notes": "Còn trễ"},
                    headers=staff).status_code == 403
    failed = step(result, {"effective": "false", "notes": "Còn hồ sơ trễ"}, form=True)
    assert failed.json["status"] == "not_effective"
    assert api.get(url, headers=boss).json["status"] == "actions_in_progress"
    step(result, {"effective": "true", "notes": "Hết trễ"}, 409, form=True)  # judged already
    # A major one's effective check needs its evidence file, sent beside the fields.
    major = ca_in_state(app, own.id, "verifying", coordinator_id=coordinator.id,
                        owner_id=owner.id)
    url = f"/api/v1/corrective-actions/{major.ca_id}"
    result = f"/checks/{api.get(url + '/checks/', headers=boss).json[-1]['id']}/result"
    bare = step(result, {"effective": "true", "notes": "Hết trễ"}, 400, form=True)
    assert bare.json["error"]["field"] == "file"
    proof = {"effective": "true", "notes": "Hết trễ", "file": (io.BytesIO(pdf_bytes()),
                                                               "kiem-tra.pdf")}
    assert step(result, proof, form=True).json["status"] == "effective"
