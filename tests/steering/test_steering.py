"""The steering committee and the yearly plan: kept by coordinators (409 on a stale edit, a
trail of each change), read by auditors, not by staff; the scheduler chases the tasks."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from compliance.core.extensions import db
from compliance.steering.models import PlanTask, SteeringMember
from tests.conftest import do_login
from tests.notifications.conftest import at
from tests.notifications.helpers import raised, run, sentence

MEMBER = {"name": "Lê Thị Hoa", "position": "Phó Chủ tịch UBND huyện", "committee_role": "head",
          "user_id": "0", "decision": "12/QĐ-UBND", "appointed_on": "2026-01-05"}


def test_the_committee_and_the_plan(app, client, as_role, make, clock):
    coordinator = as_role("coordinator")
    owner = make.user(name="Ngô Thị Mai", locale="vi")
    bad = client.post("/steering/members/new", data={**MEMBER, "left_on": "2025-12-31"})
    assert bad.status_code == 400 and "A member leaves after being appointed." in \
        bad.get_data(as_text=True) and "12/QĐ-UBND" in bad.get_data(as_text=True)
    assert client.post("/steering/members/new", data=MEMBER).status_code == 302
    with app.app_context():
        member = db.session.scalars(select(SteeringMember)).one()
        member_id, version = member.id, member.version
    relieved = {**MEMBER, "left_on": "2026-06-01", "decision": "12/QĐ-UBND; 40/QĐ-UBND",
                "version": str(version)}
    assert client.post(f"/steering/members/{member_id}", data=relieved).status_code == 302
    assert client.post(f"/steering/members/{member_id}", data=relieved).status_code == 409
    page = client.get(f"/steering/members/{member_id}").get_data(as_text=True)
    assert coordinator.name in page and "Left on" in page

    task = {"year": "2026", "title": "Xem xét của lãnh đạo", "owner_id": str(owner.id),
            "due_on": "2026-09-30", "note": ""}
    assert client.post("/steering/plan/new", data={**task, "done_on": "2026-06-16"}) \
        .status_code == 400
    assert client.post("/steering/plan/new", data=task).status_code == 302
    listing = client.get("/steering/?year=2026").get_data(as_text=True)
    assert "Lê Thị Hoa" in listing and "Xem xét của lãnh đạo" in listing

    with app.app_context():
        task_id = db.session.scalars(select(PlanTask.id)).one()
    due = date(2026, 9, 30)
    key = f"plan_task:{task_id}:due:{due}"
    for days, wanted in {8: [], 7: [(owner.id, f"{key}:7d")], 0: [(owner.id, f"{key}:0d")],
                         -1: sorted([(owner.id, f"{key}:late"),
                                     (coordinator.id, f"{key}:late")])}.items():
        before = {n.id for n in raised(app)}
        run(app, "alerts.plan_tasks", at(due - timedelta(days=days)))
        new = [n for n in raised(app) if n.id not in before]
        assert sorted((n.user_id, n.key) for n in new) == wanted, days
    note = raised(app, user_id=owner.id)[0]
    assert note.link == f"/steering/plan/{task_id}"
    assert "Xem xét của lãnh đạo" in sentence(app, note, "vi") and "30/09/2026" in \
        sentence(app, note, "vi")

    client.post("/logout")
    do_login(client, make.user(roles=["auditor"]).email)
    assert "Lê Thị Hoa" in client.get("/steering/").get_data(as_text=True)
    assert client.post("/steering/plan/new", data=task).status_code == 403
    client.post("/logout")
    do_login(client, make.user(roles=["staff"]).email)
    assert client.get("/steering/").status_code == 403
