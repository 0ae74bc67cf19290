"""The loose ends of the audit loop, through the pages: meetings until the audit is closed,
a response due date on every finding (shown to the head, on My work, chased when overdue),
cancelling and rescheduling an audit with a reason."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import verify
from compliance.audits import queries
from compliance.audits.models import Audit, AuditProgramme, Finding
from compliance.core import clock
from compliance.core.extensions import db
from tests.audits.helpers import audit_in_state, cast
from tests.factories import PASSWORD
from tests.notifications.conftest import at
from tests.notifications.helpers import raised, run, sentence


def _client(app, login, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, user.email)
    return client


def _trail(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                    .order_by(AuditEvent.seq)).all()
        db.session.expunge_all()
        return events


# 16. The user guide's rule: meetings may be recorded until the audit is closed.
MEETING = {"planned": 409, "in_progress": 302, "reported": 302, "closed": 409,
           "cancelled": 409}


def test_meetings_can_be_recorded_until_the_audit_is_closed(app, make, login):
    """In each state the page offers the meeting forms exactly when the server accepts them
    (one cast of people and one sign-in each, for the five states)."""
    people = cast(make)
    lead, head = _client(app, login, people.lead), _client(app, login, people.head)
    for state, expected in MEETING.items():
        ids = audit_in_state(app, people, state)
        url = f"/audits/{ids.audit_id}/meetings/closing"
        offered = f'action="{url}"' in lead.get(f"/audits/{ids.audit_id}/").get_data(as_text=True)
        assert offered is (expected == 302), state
        response = lead.post(url, data={"held_at": "2026-06-03T15:30", "attendees": "Lan, Nhung"})
        assert response.status_code == expected, state
        with app.app_context():
            held = db.session.get(Audit, ids.audit_id).closing_meeting_at
        assert (held is not None) is (expected == 302), state
        # Nobody outside the audit team records a meeting, whatever the state.
        assert head.post(url, data={"held_at": "2026-06-03T15:30", "attendees": "x"}
                         ).status_code == 403, state


# 17. Findings: a date by which the audited department answers.

def _sign(app, login, people, ids):
    lead = _client(app, login, people.lead)
    base = f"/audits/{ids.audit_id}"
    for item_id in ids.item_ids:
        assert lead.post(f"{base}/items/{item_id}/result",
                         data={"result": "conforming"}).status_code == 302
    assert lead.post(f"{base}/report/sign",
                     data={"summary": "Cơ bản phù hợp", "password": PASSWORD}).status_code == 302
    return lead


def test_a_finding_is_due_at_report_plus_the_setting_and_the_head_answers_it(
        app, make, login, clock):
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress", finding="ofi")
    finding_id = ids.finding_ids[0]
    base = f"/audits/{ids.audit_id}"
    lead = _sign(app, login, people, ids)
    due = clock.today() + timedelta(days=app.config["FINDING_RESPONSE_DAYS"])
    with app.app_context():
        finding = db.session.get(Finding, finding_id)
        assert finding.response_due_on == due == date(2026, 7, 15)
        version = finding.version
    head = _client(app, login, people.head)
    page = head.get(f"{base}/").get_data(as_text=True)
    assert "15 Jul 2026" in page and f'action="{base}/findings/{finding_id}/response"' in page
    home = head.get("/").get_data(as_text=True)
    assert 'data-testid="work-finding"' in home and f"{ids.reference}/F01" in home

    # The auditor moves the date: not into the past, not on a stale page.
    url = f"{base}/findings/{finding_id}/due"
    past = lead.post(url, data={"response_due_on": "2026-06-01", "version": version})
    assert past.status_code == 400
    assert "The response due date cannot be in the past." in past.get_data(as_text=True)
    assert lead.post(url, data={"response_due_on": "2026-07-31", "version": version}
                     ).status_code == 302
    assert lead.post(url, data={"response_due_on": "2026-08-31", "version": version}
                     ).status_code == 409
    assert lead.post(url, data={"response_due_on": "2026-08-31"}).status_code == 409
    assert head.post(url, data={"response_due_on": "2026-08-31", "version": version + 1}
                     ).status_code == 403
    assert "31 Jul 2026" in head.get("/").get_data(as_text=True)

    # Only the audited department's head (or a coordinator) answers, once.
    answer = f"{base}/findings/{finding_id}/response"
    assert lead.post(answer, data={"response": "x"}).status_code == 403
    empty = head.post(answer, data={"response": ""})
    assert empty.status_code == 400
    assert head.post(answer, data={"response": "Đã số hóa sổ theo dõi từ tháng 7"}
                     ).status_code == 302
    assert head.post(answer, data={"response": "Lần nữa"}).status_code == 409
    page = head.get(f"{base}/").get_data(as_text=True)
    assert "Đã số hóa sổ theo dõi từ tháng 7" in page and people.head.name in page
    assert 'data-testid="work-finding"' not in head.get("/").get_data(as_text=True)
    assert [e.action for e in _trail(app, "audit.finding_due")] == ["audit.finding_due"]
    assert len(_trail(app, "audit.finding_response")) == 1
    with app.app_context():
        assert verify().ok


def test_an_unanswered_finding_is_chased_once_per_step_until_answered(app, make, login):
    people = cast(make)
    coordinator = people.coordinator
    ids = audit_in_state(app, people, "reported", finding="observation")
    with app.app_context():
        due = db.session.get(Finding, ids.finding_ids[0]).response_due_on
    assert due is not None
    for day in (due, due, due + timedelta(days=1), due + timedelta(days=1)):
        run(app, "alerts.findings", at(day))
    notes = raised(app, kind="finding_response_overdue")
    assert [(n.user_id, n.key) for n in notes] == [
        (people.head.id, f"finding:{ids.finding_ids[0]}:response_overdue:{due}:head")]
    assert notes[0].link == f"/audits/{ids.audit_id}/#findings"
    assert f"{ids.reference}/F01" in sentence(app, notes[0], "en")
    run(app, "alerts.findings", at(due + timedelta(days=7)))
    escalated = {n.user_id for n in raised(app, kind="finding_response_overdue")} - \
        {people.head.id}
    assert escalated == {coordinator.id, people.lead.id}
    # Answered: nothing more, even at a later step (a moved date would be a new event).
    _client(app, login, people.head).post(
        f"/audits/{ids.audit_id}/findings/{ids.finding_ids[0]}/response",
        data={"response": "Đã khắc phục"})
    before = len(raised(app))
    run(app, "alerts.findings", at(due + timedelta(days=30)))
    assert len(raised(app)) == before


# 17. Cancelling and rescheduling, with a reason, told to the department and the auditors.

def test_a_coordinator_cancels_a_started_audit_with_a_reason(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress")
    base = f"/audits/{ids.audit_id}"
    coordinator = _client(app, login, people.coordinator)
    assert f'action="{base}/cancel"' in coordinator.get(f"{base}/").get_data(as_text=True)
    assert _client(app, login, people.lead).post(
        f"{base}/cancel", data={"reason": "x", "version": ids.version}).status_code == 403
    no_reason = coordinator.post(f"{base}/cancel", data={"reason": "", "version": ids.version})
    assert no_reason.status_code == 400
    assert coordinator.post(f"{base}/cancel", data={"reason": "Phòng sáp nhập",
                                                    "version": ids.version - 1}
                            ).status_code == 409
    assert coordinator.post(f"{base}/cancel", data={"reason": "Phòng sáp nhập",
                                                    "version": ids.version}).status_code == 302
    page = coordinator.get(f"{base}/").get_data(as_text=True)
    assert 'data-testid="audit-cancelled"' in page and "Phòng sáp nhập" in page
    assert f'action="{base}/cancel"' not in page
    with app.app_context():
        audit = db.session.get(Audit, ids.audit_id)
        assert (audit.status, audit.cancellation_reason) == ("cancelled", "Phòng sáp nhập")
        version = audit.version
    (event,) = _trail(app, "audit.cancel")
    assert "in_progress" in event.before_json and "Phòng sáp nhập" in event.after_json
    told = raised(app, kind="audit_cancelled")
    assert {n.user_id for n in told} == {people.head.id, people.lead.id, people.member.id}
    assert "Phòng sáp nhập" in sentence(app, told[0], "vi")
    # A cancelled audit takes nothing more: no result, no new dates, no second cancel.
    lead = _client(app, login, people.lead)
    assert lead.post(f"{base}/items/{ids.item_ids[0]}/result",
                     data={"result": "conforming"}).status_code == 409
    assert coordinator.post(f"{base}/reschedule", data={
        "planned_start": "2026-09-01", "planned_end": "2026-09-02", "reason": "Lại",
        "version": version}).status_code == 409
    assert coordinator.post(f"{base}/cancel", data={"reason": "Lại", "version": version}
                            ).status_code == 409


def test_a_reported_audit_cannot_be_cancelled_or_moved(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "reported")
    coordinator = _client(app, login, people.coordinator)
    base = f"/audits/{ids.audit_id}"
    page = coordinator.get(f"{base}/").get_data(as_text=True)
    assert f'action="{base}/cancel"' not in page and f'action="{base}/reschedule"' not in page
    assert coordinator.post(f"{base}/cancel", data={"reason": "x", "version": ids.version}
                            ).status_code == 409


def test_a_coordinator_reschedules_an_audit_and_everyone_concerned_hears(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "planned")
    base = f"/audits/{ids.audit_id}"
    coordinator = _client(app, login, people.coordinator)
    assert f'action="{base}/reschedule"' in coordinator.get(f"{base}/").get_data(as_text=True)
    moved = {"planned_start": "2026-07-06", "planned_end": "2026-07-07",
             "reason": "Trùng lịch tiếp công dân", "version": ids.version}
    same = coordinator.post(f"{base}/reschedule", data={
        **moved, "planned_start": "2026-06-01", "planned_end": "2026-06-02"})
    assert same.status_code == 400
    backwards = coordinator.post(f"{base}/reschedule", data={**moved,
                                                             "planned_end": "2026-07-01"})
    assert backwards.status_code == 400
    assert "The audit ends before it starts." in backwards.get_data(as_text=True)
    assert coordinator.post(f"{base}/reschedule", data=moved).status_code == 302
    assert coordinator.post(f"{base}/reschedule", data=moved).status_code == 409  # stale
    with app.app_context():
        audit = db.session.get(Audit, ids.audit_id)
        assert (str(audit.planned_start), str(audit.planned_end)) == ("2026-07-06",
                                                                      "2026-07-07")
        assert audit.reference == ids.reference
    (event,) = _trail(app, "audit.reschedule")
    assert "2026-06-01" in event.before_json and "Trùng lịch" in event.after_json
    told = raised(app, kind="audit_rescheduled")
    assert {n.user_id for n in told} == {people.head.id, people.lead.id, people.member.id}
    text = sentence(app, told[0], "en")
    assert "6 Jul 2026" in text and "1 Jun 2026" in text and "Trùng lịch tiếp công dân" in text


def test_a_cancelled_audit_leaves_its_department_due_and_uncovered(app, make):
    people = cast(make)
    ids = audit_in_state(app, people, "cancelled", numbers=("9.2",))
    with app.app_context():
        programme = db.session.get(AuditProgramme, ids.programme_id)
        grid = queries.coverage(programme)
        assert grid.cells[(people.dept.id, "9.2")] == "none"
        due = {s.department.id for s in queries.due_departments(programme, clock.today())}
        assert people.dept.id in due


def test_news_of_an_audit_is_told_each_time_even_on_one_day(app, make, login):
    """One reminder a day per subject, but news is never held back: moved twice, then
    cancelled, all on one day, the head hears three times."""
    people = cast(make)
    ids = audit_in_state(app, people, "planned")
    base = f"/audits/{ids.audit_id}"
    coordinator = _client(app, login, people.coordinator)
    for version, start in ((ids.version, "2026-07-06"), (ids.version + 1, "2026-07-13")):
        assert coordinator.post(f"{base}/reschedule", data={
            "planned_start": start, "planned_end": start, "reason": "Trùng lịch",
            "version": version}).status_code == 302
    assert coordinator.post(f"{base}/cancel", data={
        "reason": "Sáp nhập phòng", "version": ids.version + 2}).status_code == 302
    heard = [n.kind for n in raised(app) if n.user_id == people.head.id]
    assert sorted(heard) == ["audit_cancelled", "audit_rescheduled", "audit_rescheduled"]
