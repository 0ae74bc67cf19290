"""A corrective action is announced to its department's heads when raised, listed on their
*My work* until contained, and chased against its target date until its plan is in place."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest

from compliance.capa.models import CorrectiveAction
from compliance.core import clock as core_clock
from compliance.core.extensions import db
from tests.audits.helpers import audit_in_state, cast
from tests.capa.helpers import TODAY, ca_in_state, shown_version
from tests.conftest import Maker
from tests.dashboard.test_my_work import counts, section
from tests.notifications.conftest import at
from tests.notifications.helpers import emails, raised, run, sentence

JOB = "alerts.corrective_action_targets"


def _client(app, login, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, user.email)
    return client


def _new(app, day, hour: int = 6) -> list:
    before = {n.id for n in raised(app)}
    run(app, JOB, at(day, hour))
    return [n for n in raised(app) if n.id not in before]


@pytest.fixture
def queued_app(mail_app_for, smtp_down):
    """An app with email configured (the outbox fills; nothing is delivered here)."""
    return mail_app_for(smtp_down)


def test_a_finding_s_corrective_action_is_announced_to_the_heads_and_waits_on_my_work(
        queued_app, login):
    app = queued_app
    make = Maker(app)
    people = cast(make)
    second = make.user(name="Hoàng Gia Bảo", locale="en",
                       departments=[(people.dept.id, "department_head")])
    ids = audit_in_state(app, people, "in_progress")
    lead = _client(app, login, people.lead)
    assert lead.post(f"/audits/{ids.audit_id}/findings", data={
        "grade": "major", "clause_id": 0, "description": "Không có sổ theo dõi hồ sơ"}
    ).status_code == 302
    with app.app_context():
        ca = db.session.scalar(db.select(CorrectiveAction))
        ca_id, reference, target = ca.id, ca.reference, ca.target_on

    notes = raised(app)
    assert sorted((n.user_id, n.kind, n.key) for n in notes) == sorted(
        [(people.head.id, "ca_raised_due", f"ca:{ca_id}:raised"),
         (second.id, "ca_raised_due", f"ca:{ca_id}:raised")])
    assert notes[0].link == f"/corrective-actions/{ca_id}"
    # And by email, in each head's language.
    mail = {e.to: e for e in emails(app)}
    assert set(mail) == {people.head.email, second.email}
    assert reference in mail[second.email].subject
    assert "Record the correction" in mail[second.email].subject
    english = sentence(app, next(n for n in notes if n.user_id == second.id), "en")
    assert "Không có sổ theo dõi hồ sơ" in english and "Major nonconformity" in english

    head = _client(app, login, second)
    assert reference in head.get("/notifications/").text
    home = head.get("/").text
    assert counts(home)["contain"] == 1 and reference in section(home, "contain")
    assert re.search(r"due\s", section(home, "contain"))
    # Contained, it leaves My work.
    assert target == core_clock.today() + timedelta(days=30)
    assert head.post(f"/corrective-actions/{ca_id}/contain", data={
        "correction": "Lập sổ tạm", "corrected_on": core_clock.today().isoformat(),
        **shown_version(app, ca_id)}).status_code == 302
    assert counts(head.get("/").text)["contain"] == 0
    # Only the heads: neither the auditor who raised it nor the other departments' heads.
    other_head = make.user(departments=[(people.other.id, "department_head")])
    assert counts(_client(app, login, other_head).get("/").text)["contain"] == 0


def test_raised_by_hand_the_other_heads_hear_but_not_the_one_who_raised_it(app, make, login):
    people = cast(make)
    second = make.user(departments=[(people.dept.id, "department_head")])
    head = _client(app, login, people.head)
    assert head.post("/corrective-actions/new", data={
        "source": "complaint", "department_id": people.dept.id, "grade": "ofi",
        "problem": "Góp ý của công dân", "verifier_id": people.coordinator.id}
    ).status_code == 302
    assert [(n.user_id, n.kind) for n in raised(app)] == [(second.id, "ca_raised")]
    assert counts(head.get("/").text)["contain"] == 1


@pytest.fixture
def team(make):
    """A department with its head, and two coordinators; a department without a head."""
    dept = make.department(code="TN", name_vi="Bộ phận một cửa", name_en="One-stop desk")
    return SimpleNamespace(
        dept=dept, headless=make.department(code="VP"),
        head=make.user(name="Lê Văn Hùng", departments=[(dept.id, "department_head")]),
        owner=make.user(name="Ngô Thị Mai", departments=[(dept.id, "staff")]),
        coordinator=make.user(name="Trần Minh Thư", roles=["coordinator"]),
        deputy=make.user(name="Phan Thu Hà", roles=["coordinator"]))


def _ca(app, team, state: str, department_id: int | None = None):
    return ca_in_state(app, department_id or team.dept.id, state,
                       coordinator_id=team.coordinator.id, owner_id=team.owner.id)


def test_a_corrective_action_without_its_plan_is_reminded_then_escalated_step_by_step(app,
                                                                                       team):
    ids = _ca(app, team, "open")
    due = TODAY + timedelta(days=30)  # a major nonconformity's target
    key = f"ca:{ids.ca_id}:target:{due}"
    coordinators = [(team.coordinator.id, f"{key}:escalated:1"),
                    (team.deputy.id, f"{key}:escalated:1")]
    # The head owns it: reminded, told it is overdue, and never "escalated to" again; the
    # first escalation step goes to the coordinators, the second finds no one left.
    steps = {-8: [], -7: [(team.head.id, f"{key}:7d")], -6: [], 0: [(team.head.id, f"{key}:0d")],
             1: [(team.head.id, f"{key}:overdue")], 6: [], 7: coordinators, 14: [], 30: []}
    for offset, wanted in steps.items():
        new = _new(app, due + timedelta(days=offset))
        assert sorted((n.user_id, n.key) for n in new) == sorted(wanted), offset
    kinds = {n.key.rsplit(":", 1)[1]: n.kind for n in raised(app) if n.key.startswith(key)}
    assert kinds == {"7d": "ca_target_due", "0d": "ca_target_due_today",
                     "overdue": "ca_target_overdue", "1": "ca_target_overdue_escalated"}
    overdue = raised(app, user_id=team.head.id, kind="ca_target_overdue")[0]
    assert ids.reference in sentence(app, overdue, "en") and "still open" in \
        sentence(app, overdue, "en")
    # The state is written in the reader's language.
    assert "đang mở" in sentence(app, overdue, "vi")
    escalated = raised(app, user_id=team.deputy.id, kind="ca_target_overdue_escalated")[0]
    assert "One-stop desk" in sentence(app, escalated, "en")
    assert escalated.link == f"/corrective-actions/{ids.ca_id}"


def test_only_a_corrective_action_still_short_of_its_plan_is_chased(app, team):
    chased = {state: _ca(app, team, state) for state in ("contained", "analysed")}
    quiet = [_ca(app, team, state) for state in ("actions_in_progress", "verifying", "closed")]
    late = _new(app, TODAY + timedelta(days=31))
    assert sorted(n.key for n in late) == sorted(
        f"ca:{ids.ca_id}:target:{TODAY + timedelta(days=30)}:overdue" for ids in chased.values())
    assert not [n for n in raised(app) for ids in quiet
                if n.key.startswith(f"ca:{ids.ca_id}:target")]
    # Without a head, the coordinators own it, and nobody is told twice.
    headless = _ca(app, team, "open", team.headless.id)
    first = _new(app, TODAY + timedelta(days=31))
    assert sorted((n.user_id, n.kind) for n in first if str(headless.ca_id) in n.key) == sorted(
        [(team.coordinator.id, "ca_target_overdue"), (team.deputy.id, "ca_target_overdue")])
    for offset in (37, 44):
        assert [n for n in _new(app, TODAY + timedelta(days=offset))
                if n.key.startswith(f"ca:{headless.ca_id}:")] == []


def test_nobody_hears_about_one_corrective_action_twice_on_the_same_day(app, team, login,
                                                                        clock):
    clock.set(at(TODAY, 8))
    coordinator = _client(app, login, team.coordinator)
    assert coordinator.post("/corrective-actions/new", data={
        "source": "process", "department_id": team.dept.id, "grade": "major",
        "problem": "Hồ sơ lưu sai chỗ", "verifier_id": team.coordinator.id,
        "target_on": (TODAY + timedelta(days=3)).isoformat()}).status_code == 302
    assert [n.kind for n in raised(app, user_id=team.head.id)] == ["ca_raised_due"]
    # Its 7-day reminder is due already, but the head heard about it this morning.
    assert _new(app, TODAY, 9) == []
    assert [(n.user_id, n.kind) for n in _new(app, TODAY + timedelta(days=1))] == [
        (team.head.id, "ca_target_due")]
    assert _new(app, TODAY + timedelta(days=1), 7) == []
