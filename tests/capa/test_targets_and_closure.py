"""A corrective action's target date (from its grade, or given when raised by hand) on its page,
the register and the export; and who closed it, and when."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from flask_babel import force_locale

from compliance.audits.models import FindingGrade
from compliance.capa.models import CorrectiveAction
from compliance.core import clock
from compliance.core.extensions import db
from tests.audits.helpers import audit_in_state, cast
from tests.capa.helpers import ca_in_state, ca_target, shown_version


def _client(app, login, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, user.email)
    return client


def _shown(app, day) -> str:
    """A date as the pages write it in English."""
    with app.test_request_context(), force_locale("en"):
        return str(app.jinja_env.filters["dateformat"](day, "short"))


def _cell(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</dd>', page, re.S)
    return match.group(1) if match else ""


def _target(app, ca_id: int):
    with app.app_context():
        return db.session.get(CorrectiveAction, ca_id).target_on


MINOR = "/audits/grades/minor"
GRADE_FORM = {"name_vi": "Điểm không phù hợp nhẹ", "name_en": "Minor nonconformity",
              "raises_corrective_action": "y", "requires_root_cause": "y",
              "effectiveness_check_days": 60}


def _grade_form(app) -> dict:
    """The minor grade's form as its page fills it in now (with the version shown)."""
    with app.app_context():
        return {**GRADE_FORM, "version": db.session.get(FindingGrade, (1, "minor")).version}


def test_a_finding_gives_its_corrective_action_the_target_of_its_grade(app, make, login):
    people = cast(make)
    coordinator = _client(app, login, people.coordinator)
    grades = coordinator.get("/audits/grades/").get_data(as_text=True)
    assert "Corrective action target (days)" in grades
    assert [int(n) for n in re.findall(r"<td>(\d+|—)</td>\s*<td><a", grades)
            if n != "—"] == [30, 60, 90]
    for wrong in (0, 731):
        refused = coordinator.post(MINOR, data={**_grade_form(app), "corrective_action_days":
                                                wrong})
        assert refused.status_code == 400 and "1 to 730 days" in refused.text
    assert coordinator.post(MINOR, data={**_grade_form(app), "corrective_action_days": 45}
                            ).status_code == 302
    with app.app_context():
        assert db.session.get(FindingGrade, (1, "minor")).corrective_action_days == 45

    ids = audit_in_state(app, people, "in_progress")
    lead = _client(app, login, people.lead)
    for grade in ("major", "minor"):
        assert lead.post(f"/audits/{ids.audit_id}/findings", data={
            "grade": grade, "clause_id": 0, "description": f"Thiếu sổ theo dõi ({grade})"}
        ).status_code == 302
    today = clock.today()
    with app.app_context():
        rows = db.session.scalars(db.select(CorrectiveAction).order_by(CorrectiveAction.id))
        targets = {ca.grade: (ca.id, ca.target_on) for ca in rows}
    assert targets["major"][1] == today + timedelta(days=30)
    assert targets["minor"][1] == today + timedelta(days=45)
    head = _client(app, login, people.head)
    page = head.get(f"/corrective-actions/{targets['minor'][0]}").get_data(as_text=True)
    assert _shown(app, today + timedelta(days=45)) in _cell(page, "ca-target")
    assert "Overdue" not in _cell(page, "ca-target")

    # Emptied, the rule gives no target date.
    assert coordinator.post(MINOR, data={**_grade_form(app), "corrective_action_days": ""}
                            ).status_code == 302
    with app.app_context():
        assert db.session.get(FindingGrade, (1, "minor")).corrective_action_days is None


def test_raised_by_hand_it_takes_the_date_given_or_else_the_grades(app, make, login):
    people = cast(make)
    head = _client(app, login, people.head)
    form = {"source": "complaint", "department_id": people.dept.id, "grade": "major",
            "problem": "Công dân phản ánh trả hồ sơ chậm", "verifier_id": people.coordinator.id}
    today = clock.today()
    assert 'name="target_on"' in head.get("/corrective-actions/new").text
    past = head.post("/corrective-actions/new",
                     data={**form, "target_on": (today - timedelta(days=1)).isoformat()})
    assert past.status_code == 400 and "The target date cannot be in the past." in past.text
    assert "Công dân phản ánh trả hồ sơ chậm" in past.text
    given = head.post("/corrective-actions/new",
                      data={**form, "target_on": (today + timedelta(days=10)).isoformat()})
    blank = head.post("/corrective-actions/new", data={**form, "target_on": ""})
    ids = [int(r.headers["Location"].rsplit("/", 1)[1]) for r in (given, blank)]
    assert [_target(app, i) for i in ids] == [today + timedelta(days=10),
                                              today + timedelta(days=30)]


def test_the_register_and_its_export_show_the_target_and_chase_a_missed_one(app, make, login):
    people = cast(make)
    today = clock.today()
    late = ca_in_state(app, people.dept.id, "contained", coordinator_id=people.coordinator.id,
                       owner_id=people.head.id, today=today - timedelta(days=31))
    on_time = ca_in_state(app, people.dept.id, "open", coordinator_id=people.coordinator.id,
                          owner_id=people.head.id, today=today)
    head = _client(app, login, people.head)
    body = head.get("/corrective-actions/", query_string={"overdue": "1"}).text
    assert late.reference in body and on_time.reference not in body
    assert _shown(app, today - timedelta(days=1)) in head.get("/corrective-actions/").text
    page = head.get(f"/corrective-actions/{late.ca_id}").text
    assert "Overdue" in _cell(page, "ca-target")
    rows = list(csv.DictReader(io.StringIO(head.get("/corrective-actions/export.csv")
                                           .get_data().decode("utf-8-sig"))))
    by_reference = {r["Reference"]: r for r in rows}
    assert by_reference[late.reference]["Target date"] == (today - timedelta(days=1)).isoformat()
    assert by_reference[late.reference]["Overdue"] == "Yes"
    assert by_reference[on_time.reference]["Overdue"] == "No"


def test_a_closed_corrective_action_says_who_closed_it_and_when(app, make, login):
    people = cast(make)
    verifier = make.user(name="Vũ Đức Thắng", roles=["auditor"])
    ready = ca_target(app, make, people.dept.id, "verifying_effective")
    with app.app_context():
        db.session.get(CorrectiveAction, ready.ca_id).verifier_id = verifier.id
        db.session.commit()
    closing = _client(app, login, verifier)
    assert closing.post(f"/corrective-actions/{ready.ca_id}/close",
                        data={"note": "Đạt", **shown_version(app, ready.ca_id)}
                        ).status_code == 302
    head = _client(app, login, people.head)
    decided = ca_in_state(app, people.dept.id, "open", coordinator_id=people.coordinator.id,
                          owner_id=people.head.id, grade="observation", today=clock.today())
    assert head.post(f"/corrective-actions/{decided.ca_id}/decision",
                     data={"decision": "Ghi nhận", **shown_version(app, decided.ca_id)}
                     ).status_code == 302

    today = _shown(app, clock.today())
    for ca_id, name in ((ready.ca_id, "Vũ Đức Thắng"), (decided.ca_id, "Đặng Ngọc Lan")):
        page = head.get(f"/corrective-actions/{ca_id}").text
        assert f"Closed by {name} on {today}" in _cell(page, "ca-closed")
    register = head.get("/corrective-actions/", query_string={"status": "closed"}).text
    assert f"Closed by Vũ Đức Thắng on {today}" in register
    assert f"Closed by Đặng Ngọc Lan on {today}" in register
    rows = list(csv.DictReader(io.StringIO(head.get(
        "/corrective-actions/export.csv", query_string={"status": "closed"})
        .get_data().decode("utf-8-sig"))))
    assert sorted(r["Closed by"] for r in rows) == ["Vũ Đức Thắng", "Đặng Ngọc Lan"]
    assert {r["Closed on"] for r in rows} == {clock.today().isoformat()}
