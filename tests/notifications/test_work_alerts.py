"""Corrective-action and audit alerts at each lead time and step; the audit-report signal."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from compliance.audits import services as audit_services
from compliance.audits.services import conduct
from compliance.auth.models import User
from compliance.capa.models import Action, EffectivenessCheck
from compliance.core.db import write_intent
from compliance.core.extensions import db
from tests.audits.helpers import audit_in_state, cast
from tests.capa.helpers import ca_in_state
from tests.factories import PASSWORD
from tests.notifications.conftest import at
from tests.notifications.helpers import raised, run, sentence


def _new(app, job_id: str, day: date) -> list:
    before = {n.id for n in raised(app)}
    run(app, job_id, at(day))
    return [n for n in raised(app) if n.id not in before]


@pytest.fixture
def team(make):
    """A department with its head, an action owner, a verifier and two coordinators."""
    dept = make.department(code="TN", name_vi="Bộ phận một cửa", name_en="One-stop desk")
    return SimpleNamespace(
        dept=dept,
        head=make.user(name="Lê Văn Hùng", departments=[(dept.id, "department_head")]),
        owner=make.user(name="Ngô Thị Mai", locale="vi", departments=[(dept.id, "staff")]),
        verifier=make.user(name="Vũ Đức Thắng", roles=["auditor"]),
        coordinator=make.user(name="Trần Minh Thư", roles=["coordinator"]),
        deputy=make.user(name="Phan Thu Hà", roles=["coordinator"]))


def test_action_item_due_in_7_days_and_on_the_day_goes_to_its_owner(app, team):
    ids = ca_in_state(app, team.dept.id, "actions_in_progress",
                      coordinator_id=team.coordinator.id, owner_id=team.owner.id)
    with app.app_context():
        due = db.session.get(Action, ids.action_id).due_on
    key = f"ca_action:{ids.action_id}:due:{due}"
    for days, lead in {8: None, 7: "7d", 6: None, 1: None, 0: "0d"}.items():
        new = _new(app, "alerts.corrective_actions", due - timedelta(days=days))
        wanted = [] if lead is None else [(team.owner.id, f"{key}:{lead}")]
        assert [(n.user_id, n.key) for n in new] == wanted, f"{days} days before"
    # (The head also heard when the corrective action was raised: not an action item's alert.)
    week, today = [n for n in raised(app) if n.key.startswith("ca_action:")]
    assert week.kind == "ca_action_due" and today.kind == "ca_action_due_today"
    assert week.link == f"/corrective-actions/{ids.ca_id}"
    assert ids.reference in sentence(app, week, "vi")
    assert "Lập sổ theo dõi" in sentence(app, week, "en") and "due today" in \
        sentence(app, today, "en")


def test_overdue_action_goes_to_the_head_then_the_coordinators_after_7_days(app, team):
    ids = ca_in_state(app, team.dept.id, "actions_in_progress",
                      coordinator_id=team.coordinator.id, owner_id=team.owner.id)
    with app.app_context():
        due = db.session.get(Action, ids.action_id).due_on
    key = f"ca_action:{ids.action_id}:overdue:{due}"
    steps = {1: [(team.head.id, f"{key}:head")], 6: [],
             7: sorted([(team.coordinator.id, f"{key}:coordinator"),
                        (team.deputy.id, f"{key}:coordinator")]), 8: []}
    for late, wanted in steps.items():
        new = _new(app, "alerts.corrective_actions", due + timedelta(days=late))
        assert sorted((n.user_id, n.key) for n in new) == wanted, f"{late} days late"
        assert all(n.kind == "ca_action_overdue" for n in new)
    head_note = raised(app, user_id=team.head.id, kind="ca_action_overdue")[0]
    # The head is told whose action it is.
    assert "Ngô Thị Mai" in sentence(app, head_note, "en")


def test_effectiveness_check_due_goes_to_the_verifier_once(app, team):
    ids = ca_in_state(app, team.dept.id, "verifying", coordinator_id=team.coordinator.id,
                      owner_id=team.owner.id, verifier_id=team.verifier.id)
    with app.app_context():
        check = db.session.scalar(select(EffectivenessCheck).where(
            EffectivenessCheck.corrective_action_id == ids.ca_id))
        check_id, due = check.id, check.due_on
    assert _new(app, "alerts.corrective_actions", due - timedelta(days=1)) == []
    new = _new(app, "alerts.corrective_actions", due)
    assert [(n.user_id, n.key, n.kind) for n in new] == [
        (team.verifier.id, f"effcheck:{check_id}:due:{due}", "effectiveness_check_due")]
    assert _new(app, "alerts.corrective_actions", due + timedelta(days=3)) == []
    assert ids.reference in sentence(app, new[0], "en")


def test_audit_starting_in_14_days_goes_to_the_team_and_the_audited_head(app, make):
    people = cast(make)
    ids = audit_in_state(app, people)
    start = date(2026, 6, 1)
    assert _new(app, "alerts.audits", start - timedelta(days=15)) == []
    new = _new(app, "alerts.audits", start - timedelta(days=14))
    key = f"audit:{ids.audit_id}:upcoming:{start}:14d"
    assert sorted((n.user_id, n.key) for n in new) == sorted(
        [(people.lead.id, key), (people.member.id, key), (people.head.id, key)])
    assert {n.kind for n in new} == {"audit_upcoming"}
    assert new[0].link == f"/audits/{ids.audit_id}/"
    assert _new(app, "alerts.audits", start - timedelta(days=7)) == []
    assert ids.reference in sentence(app, new[0], "en")


def test_report_not_issued_14_days_after_the_audit_goes_to_the_lead_and_coordinator(app, make):
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress")
    end = date(2026, 6, 2)
    assert _new(app, "alerts.audits", end + timedelta(days=13)) == []
    new = _new(app, "alerts.audits", end + timedelta(days=14))
    key = f"audit:{ids.audit_id}:report_late:{end}"
    assert sorted((n.user_id, n.key) for n in new) == sorted(
        [(people.lead.id, key), (people.coordinator.id, key)])
    assert {n.kind for n in new} == {"audit_report_late"}
    assert _new(app, "alerts.audits", end + timedelta(days=20)) == []


def test_a_signed_report_is_not_late(app, make):
    people = cast(make)
    audit_in_state(app, people, "reported")
    assert _new(app, "alerts.audits", date(2026, 7, 30)) == []


def test_signing_the_report_notifies_the_audited_department_heads(app, make):
    people = cast(make)
    second_head = make.user(name="Hoàng Gia Bảo", departments=[(people.dept.id,
                                                                  "department_head")])
    ids = audit_in_state(app, people, "in_progress")
    with app.app_context(), app.test_request_context(), write_intent():
        lead = db.session.get(User, people.lead.id)
        audit = audit_services.get_audit(ids.audit_id)
        for item in audit.items:
            conduct.record_result(lead, audit, item, "conforming", "")
        conduct.sign_report(lead, audit, credential=PASSWORD, summary="Đạt yêu cầu")
        db.session.commit()
    notes = raised(app)
    key = f"audit:{ids.audit_id}:reported"
    assert sorted((n.user_id, n.key, n.kind) for n in notes) == sorted(
        [(people.head.id, key, "audit_reported"), (second_head.id, key, "audit_reported")])
    assert notes[0].link == f"/audits/{ids.audit_id}/"
    text = sentence(app, notes[0], "en")
    assert ids.reference in text and "0 findings to answer." in text
