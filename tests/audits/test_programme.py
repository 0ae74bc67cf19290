"""The programme's coverage grid and the departments it says are due, on a hand-built case."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from compliance.audits import queries
from compliance.audits.models import Audit, AuditProgramme, Finding, FindingGrade
from compliance.core import clock
from compliance.core.db import utcnow
from compliance.core.extensions import db
from tests.audits.helpers import audit_in_state, cast


def test_coverage_grid_counts(app, make, login):
    people = cast(make)
    # TP: one audit over 7.5.1 and 8.5.1, reported, with a finding against 8.5.1.
    ids = audit_in_state(app, people, "reported", numbers=("7.5.1", "8.5.1"))
    with app.app_context():
        audit = db.session.get(Audit, ids.audit_id)
        clause_851 = next(c for c in audit.clauses if c.number == "8.5.1")
        db.session.add(Finding(audit_id=audit.id, number=1, grade="minor",
                               clause_id=clause_851.id, description="x",
                               created_by_id=people.lead.id, created_at=utcnow()))
        db.session.commit()
        programme = db.session.get(AuditProgramme, ids.programme_id)
        grid = queries.coverage(programme)
    columns = [c.number for c in grid.clauses]
    assert "7.5" in columns and "8.5" in columns and "4.1" in columns
    assert grid.cells[(people.dept.id, "7.5")] == "audited"
    assert grid.cells[(people.dept.id, "8.5")] == "findings"
    assert grid.cells[(people.dept.id, "4.1")] == "none"
    assert grid.cells[(people.other.id, "7.5")] == "none"
    total = len(grid.departments) * len(grid.clauses)
    assert grid.counts == {"none": total - 2, "planned": 0, "audited": 1, "findings": 1}


def test_planned_audit_marks_its_clauses_planned_and_the_page_shows_counts(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "planned", numbers=("9.2",))
    client = app.test_client()
    login(client, people.coordinator.email)
    page = client.get(f"/audits/programmes/{ids.programme_id}").get_data(as_text=True)
    assert page.count('data-state="planned"') == 1  # 9.2 is itself a grid column
    assert page.count('data-state="audited"') == 0


def test_due_departments_weigh_time_and_findings(app, make):
    people = cast(make)
    ids = audit_in_state(app, people, "reported")
    with app.app_context():
        # The TP audit was reported 14 months ago with one major finding.
        db.session.execute(update(Audit).where(Audit.id == ids.audit_id).values(
            reported_at=utcnow() - timedelta(days=430)))
        db.session.add(Finding(audit_id=ids.audit_id, number=1, grade="major",
                               description="x", created_by_id=people.lead.id,
                               created_at=utcnow()))
        fresh = AuditProgramme(title="2027", period_start=date(2027, 1, 1),
                               period_end=date(2027, 12, 31))
        db.session.add(fresh)
        db.session.commit()
        due = {s.department.code: s for s in queries.due_departments(fresh, clock.today())}
    assert due["TP"].majors == 1 and due["TP"].months_since in (13, 14, 15)
    # The major finding opened a corrective action, still open: +3.
    assert due["TP"].score == due["TP"].months_since + 6 + 3 * due["TP"].open_actions
    assert due["NV"].months_since is None and due["NV"].score == queries.NEVER_AUDITED_MONTHS


def test_grades_are_data_a_coordinator_can_adjust(app, make, login):
    coordinator = make.user(roles=["coordinator"])
    client = app.test_client()
    login(client, coordinator.email)
    page = client.get("/audits/grades/").get_data(as_text=True)
    assert "Major nonconformity" in page or "Điểm không phù hợp nặng" in page
    bad = client.post("/audits/grades/minor", data={
        "name_vi": "Nhẹ", "name_en": "Minor", "effectiveness_check_days": 0, "version": 1})
    assert bad.status_code == 400
    assert client.post("/audits/grades/minor", data={
        "name_vi": "Không phù hợp nhẹ", "name_en": "Minor", "raises_corrective_action": "y",
        "requires_root_cause": "y", "effectiveness_check_days": 45,
        "version": 1}).status_code == 302
    assert client.post("/audits/grades/unknown", data={}).status_code == 404
    with app.app_context():
        minor = db.session.get(FindingGrade, (1, "minor"))
        assert (minor.effectiveness_check_days, minor.requires_root_cause) == (45, True)
