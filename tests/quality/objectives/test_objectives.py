"""Objectives through the pages: set one with its plan, the owner marks a step done, progress
with the value measured by hand, the year-end evaluation, copying a year (and its refusal),
stale edits and bad input. The clock is pinned at 15 June 2026."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.quality.objectives.models import Objective, PlanItem
from tests.quality.measures.helpers import cast, measure
from tests.quality.objectives.helpers import objective_with_plan, version_of

NEW = {"year": "2026", "statement_vi": "100% hồ sơ hành chính giải quyết đúng hạn",
       "statement_en": "All administrative dossiers settled on time", "measurement": "manual",
       "target": "100", "unit": "%", "direction": "higher"}


def _trail(app, entity_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_type == "objective", AuditEvent.entity_id == str(entity_id))
            .order_by(AuditEvent.seq)))


def test_a_head_sets_and_plans_an_objective_and_the_owner_marks_the_step_done(
        app, client, make, login, clock):
    dept, other = make.department(), make.department()
    head = make.user(departments=[(dept.id, "department_head")])
    owner = make.user(name="Trần Văn Bình", departments=[(dept.id, "staff")])
    coordinator = make.user(roles=["coordinator"])
    theirs = objective_with_plan(app, other.id, coordinator_id=coordinator.id,
                                 owner_id=coordinator.id, statement="Mục tiêu phòng khác")
    login(client, head.email)
    answer = client.post("/objectives/new", data={**NEW, "department_id": dept.id})
    assert answer.status_code == 302
    objective_id = int(answer.headers["Location"].split("/objectives/")[1].split("#")[0])
    assert client.post(f"/objectives/{objective_id}/items", data={
        "description": "Niêm yết thủ tục, nhắc hạn hằng tuần", "resources": "Sổ theo dõi",
        "owner_id": owner.id, "due_on": "2026-06-20",
        "evaluation_method": "Tỷ lệ đúng hạn mỗi quý"}).status_code == 302
    # The value measured by hand, with the Vietnamese decimal comma.
    assert client.post(f"/objectives/{objective_id}/progress", data={
        "noted_on": "2026-06-01", "text": "Quý II: 2 hồ sơ trễ hạn", "value": "95,5"}
    ).status_code == 302
    # By default, the head's own department this year: theirs is not listed (the head
    # reads English, so the English statements).
    listing = client.get("/objectives/").get_data(as_text=True)
    assert "All administrative dossiers" in listing
    assert "100% of dossiers" not in listing
    assert client.get(f"/objectives/{theirs.objective_id}").status_code == 403

    client.post("/logout")
    login(client, owner.email)
    # The step waits on the owner's home page, and opens the objective.
    home = client.get("/").get_data(as_text=True)
    assert 'data-kind="objective">1<' in home and f"/objectives/{objective_id}" in home
    page = client.get(f"/objectives/{objective_id}").get_data(as_text=True)
    assert "95.5 %" in page and "Mark done" in page
    with app.app_context():
        item = db.session.scalars(select(PlanItem).where(
            PlanItem.objective_id == objective_id)).one()
        item_id, version = item.id, item.version
    assert client.post(f"/objectives/{objective_id}/items/{item_id}/done",
                       data={f"item{item_id}-version": version}).status_code == 302
    with app.app_context():
        item = db.session.get(PlanItem, item_id)
        assert (item.done, item.done_on, item.done_by_id) == (True, date(2026, 6, 15), owner.id)
        objective = db.session.get(Objective, objective_id)
        assert (objective.current_value, objective.current_on) == (95.5, date(2026, 6, 1))
    # The owner marks done; changing the objective is for its managers.
    assert client.get(f"/objectives/{objective_id}/edit").status_code == 403
    assert _trail(app, objective_id) == ["objective.create", "objective.item_add",
                                         "objective.progress", "objective.item_done"]


def test_the_year_end_evaluation_closes_the_objective(app, client, as_role, make, clock):
    coordinator = as_role("coordinator")
    dept = make.department()
    last_year = objective_with_plan(app, dept.id, coordinator_id=coordinator.id,
                                    owner_id=coordinator.id, year=2025)
    this_year = objective_with_plan(app, dept.id, coordinator_id=coordinator.id,
                                    owner_id=coordinator.id)
    # This year's opens on 1 December: no button, and a post is refused with the date.
    assert "Record the evaluation" not in client.get(
        f"/objectives/{this_year.objective_id}").get_data(as_text=True)
    early = client.post(f"/objectives/{this_year.objective_id}/evaluate", data={
        "result": "achieved", "comment": "x",
        "version": version_of(app, Objective, this_year.objective_id)})
    assert early.status_code == 409 and "opens on 1 Dec 2026" in early.get_data(as_text=True)

    answer = client.post(f"/objectives/{last_year.objective_id}/evaluate", data={
        "result": "partly_achieved", "comment": "Đạt 97%, 3 hồ sơ trễ hạn",
        "version": version_of(app, Objective, last_year.objective_id)})
    assert answer.status_code == 302
    page = client.get(f"/objectives/{last_year.objective_id}").get_data(as_text=True)
    assert "Partly achieved" in page and "Đạt 97%, 3 hồ sơ trễ hạn" in page
    with app.app_context():
        objective = db.session.get(Objective, last_year.objective_id)
        assert (objective.evaluated_by_id, objective.evaluated_on) == (coordinator.id,
                                                                       date(2026, 6, 15))
    # Evaluated, its plan no longer changes.
    refused = client.post(f"/objectives/{last_year.objective_id}/items", data={
        "description": "x", "owner_id": coordinator.id, "due_on": "2025-12-31",
        "evaluation_method": "x"})
    assert refused.status_code == 409


def test_copying_a_year_copies_the_plan_undone_and_refuses_a_year_that_has_objectives(
        app, client, as_role, make, clock):
    coordinator = as_role("coordinator")
    dept = make.department()
    objective_with_plan(app, dept.id, coordinator_id=coordinator.id, owner_id=coordinator.id,
                        year=2025, due_on=date(2025, 6, 30), done=True)
    copy = {"scope": str(dept.id), "from_year": "2025", "to_year": "2026"}
    answer = client.post("/objectives/copy", data=copy)
    assert answer.status_code == 302 and "year=2026" in answer.headers["Location"]
    with app.app_context():
        [made] = db.session.scalars(select(Objective).where(Objective.year == 2026)).all()
        assert made.statement_vi == "100% hồ sơ đúng hạn" and made.target == 100
        assert [(i.done, i.done_on, i.due_on) for i in made.items] == [
            (False, None, date(2026, 6, 30))]
    again = client.post("/objectives/copy", data=copy)
    body = again.get_data(as_text=True)
    assert again.status_code == 400
    assert "2026 already has 1 objective for" in body and "nothing was copied" in body
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Objective.id))) == 2


def test_a_stale_edit_is_a_conflict(app, client, as_role, make, clock):
    coordinator = as_role("coordinator")
    ids = objective_with_plan(app, make.department().id, coordinator_id=coordinator.id,
                              owner_id=coordinator.id)
    shown = version_of(app, Objective, ids.objective_id)
    edit = {**NEW, "version": shown}
    assert client.post(f"/objectives/{ids.objective_id}/edit", data=edit).status_code == 302
    assert client.post(f"/objectives/{ids.objective_id}/edit", data=edit).status_code == 409
    item = {"description": "x", "resources": "", "owner_id": coordinator.id,
            "due_on": "2026-07-01", "evaluation_method": "y",
            "version": version_of(app, PlanItem, ids.item_id)}
    url = f"/objectives/{ids.objective_id}/items/{ids.item_id}/edit"
    assert client.post(url, data=item).status_code == 302
    assert client.post(url, data=item).status_code == 409
    assert client.post(f"/objectives/{ids.objective_id}/items/{ids.item_id}/done",
                       data={}).status_code == 409


def test_bad_input_is_refused_at_its_field_with_the_input_kept(app, client, as_role, make,
                                                               clock):
    dept = make.department()
    coordinator = as_role("coordinator")
    answer = client.post("/objectives/new", data={**NEW, "department_id": dept.id,
                                                  "target": "abc"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "“abc” is not a number." in body and "100% hồ sơ hành chính" in body
    # A year the service refuses comes back at the year, the rest kept.
    answer = client.post("/objectives/new", data={**NEW, "department_id": dept.id,
                                                  "year": "1990"})
    assert answer.status_code == 400 and "Give a year from 2016 to 2031." in \
        answer.get_data(as_text=True)
    ids = objective_with_plan(app, dept.id, coordinator_id=coordinator.id,
                              owner_id=coordinator.id)
    answer = client.post(f"/objectives/{ids.objective_id}/items", data={
        "description": "Rà soát quy trình", "owner_id": coordinator.id,
        "due_on": "2026-02-31", "evaluation_method": "Biên bản"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "“2026-02-31” is not a valid date." in body and "Rà soát quy trình" in body
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Objective.id))) == 1


def test_an_objective_measured_by_a_process_measure_names_it(app, client, make, login, clock):
    """The form offers the active process measures; the objective's page names the one chosen."""
    people = cast(make)
    measure_id = measure(app, people)
    login(client, people.coordinator.email)
    form = client.get("/objectives/new").get_data(as_text=True)
    assert "KPI-TP-01 · Dossiers settled on time" in form
    answer = client.post("/objectives/new", data={
        **NEW, "department_id": people.dept.id, "measurement": "measure",
        "measure_id": measure_id})
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "KPI-TP-01 · Dossiers settled on time" in page
    with app.app_context():
        made = db.session.scalars(select(Objective).where(
            Objective.department_id == people.dept.id)).one()
        assert made.measure_id == measure_id
