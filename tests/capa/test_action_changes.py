"""An open action of the plan is edited, rescheduled, reassigned or cancelled from the
corrective action's page by its managers: each with its rules, its version and its trail."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import verify
from compliance.auth.models import User
from compliance.capa import services
from compliance.capa.models import Action, CorrectiveAction
from compliance.core import clock
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.notifications.models import Notification
from tests.audits.helpers import cast
from tests.capa.helpers import ca_in_state


def _client(app, login, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, user.email)
    return client


def _world(app, make, login, state="actions_in_progress"):
    people = cast(make)
    people.staff = make.user(name="Lê Văn Bình", departments=[(people.dept.id, "staff")])
    people.other_staff = make.user(name="Hoàng Thị Cúc", departments=[(people.other.id, "staff")])
    ids = ca_in_state(app, people.dept.id, state, coordinator_id=people.coordinator.id,
                      owner_id=people.staff.id, today=clock.today())
    return people, ids, _client(app, login, people.head)


def _action(app, action_id: int) -> Action:
    with app.app_context():
        action = db.session.get(Action, action_id)
        db.session.expunge(action)
        return action


def _post(client, ids, verb: str, version=1, **fields):
    """A change form as the page sends it: its fields under the row's prefix."""
    prefix = f"action{ids.action_id}-{verb}-"
    data = {prefix + name: value for name, value in fields.items()}
    if version is not None:
        data[prefix + "version"] = version
    return client.post(f"/corrective-actions/{ids.ca_id}/actions/{ids.action_id}/{verb}",
                       data=data)


def _events(app, ca_id: int, action: str) -> list[tuple[dict, dict]]:
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.before_json, AuditEvent.after_json).where(
            AuditEvent.entity_type == "corrective_action", AuditEvent.entity_id == str(ca_id),
            AuditEvent.action == action).order_by(AuditEvent.seq)).all()
        return [(json.loads(b or "{}"), json.loads(a or "{}")) for b, a in rows]


def test_the_head_edits_and_reschedules_with_a_reason_and_a_stale_form_is_refused(app, make,
                                                                                   login):
    people, ids, head = _world(app, make, login)
    page = head.get(f"/corrective-actions/{ids.ca_id}").get_data(as_text=True)
    assert 'data-testid="action-change-1"' in page
    for verb in ("edit", "reschedule", "reassign", "cancel"):
        assert f'action="/corrective-actions/{ids.ca_id}/actions/{ids.action_id}/{verb}"' in page
    # The owner marks it done, and sees no way to change it.
    owner_page = _client(app, login, people.staff).get(
        f"/corrective-actions/{ids.ca_id}").get_data(as_text=True)
    assert "Mark done" in owner_page and 'data-testid="action-change-1"' not in owner_page

    assert _post(head, ids, "edit", description="Lập sổ theo dõi và giao người ghi sổ"
                 ).status_code == 302
    assert _action(app, ids.action_id).description == "Lập sổ theo dõi và giao người ghi sổ"
    assert _events(app, ids.ca_id, "corrective.action_edit") == [
        ({"action": ids.action_id, "description": "Lập sổ theo dõi"},
         {"action": ids.action_id, "description": "Lập sổ theo dõi và giao người ghi sổ"})]

    # The form filled in before that edit is stale; one without a version is refused too.
    later = (clock.today() + timedelta(days=30)).isoformat()
    stale = _post(head, ids, "reschedule", version=1, due_on=later, reason="Chờ kinh phí")
    assert stale.status_code == 409 and "Someone else changed this action" in stale.text
    assert _post(head, ids, "reschedule", version=None, due_on=later,
                 reason="Chờ kinh phí").status_code == 409
    no_reason = _post(head, ids, "reschedule", version=2, due_on=later, reason="")
    assert no_reason.status_code == 400 and later in no_reason.text
    past = _post(head, ids, "reschedule", version=2, reason="Chờ kinh phí",
                 due_on=(clock.today() - timedelta(days=1)).isoformat())
    assert past.status_code == 400 and "The due date cannot be in the past." in past.text
    assert 'data-testid="action-change-1"' in past.text and "Chờ kinh phí" in past.text
    before = _action(app, ids.action_id).due_on
    assert _post(head, ids, "reschedule", version=2, due_on=later,
                 reason="Chờ kinh phí").status_code == 302
    assert _action(app, ids.action_id).due_on.isoformat() == later
    assert _events(app, ids.ca_id, "corrective.action_reschedule") == [
        ({"action": ids.action_id, "due_on": before.isoformat()},
         {"action": ids.action_id, "due_on": later, "reason": "Chờ kinh phí"})]
    page = head.get(f"/corrective-actions/{ids.ca_id}").get_data(as_text=True)
    assert "Chờ kinh phí" in page  # the history shows the reason


def test_reassigning_tells_the_new_owner_who_may_then_mark_it_done(app, make, login):
    people, ids, head = _world(app, make, login)
    coordinator = _client(app, login, people.coordinator)
    same = _post(coordinator, ids, "reassign", owner_id=people.staff.id)
    assert same.status_code == 400 and "already owns" in same.text
    assert _post(coordinator, ids, "reassign", owner_id=people.other_staff.id,
                 reason="Chị Cúc phụ trách sổ").status_code == 302
    assert _action(app, ids.action_id).owner_id == people.other_staff.id
    assert _events(app, ids.ca_id, "corrective.action_reassign")[0][1] == {
        "action": ids.action_id, "owner_id": people.other_staff.id,
        "reason": "Chị Cúc phụ trách sổ"}
    with app.app_context():
        notes = db.session.scalars(select(Notification).where(
            Notification.user_id == people.other_staff.id)).all()
        assert [n.kind for n in notes] == ["ca_action_assigned"]
    new_owner = _client(app, login, people.other_staff)
    bell = new_owner.get("/notifications/").get_data(as_text=True)
    assert ids.reference in bell and "is now yours" in bell
    # The new owner, of another department, reads it now and marks the action done; the
    # previous owner, staff who owned nothing else in it, no longer reads it.
    assert _client(app, login, people.staff).get(
        f"/corrective-actions/{ids.ca_id}").status_code == 403
    done = new_owner.post(f"/corrective-actions/{ids.ca_id}/actions/{ids.action_id}/done",
                          data={"note": "Đã lập sổ"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(CorrectiveAction, ids.ca_id).status == "verifying"
    # A done action is changed no more.
    assert _post(head, ids, "edit", version=3, description="Khác").status_code == 409


def test_cancelling_needs_a_reason_and_the_rest_done_schedules_the_check(app, make, login):
    people, ids, head = _world(app, make, login)
    # A second action, done: cancelling the first then leaves nothing open.
    with app.app_context(), write_intent():
        ca = db.session.get(CorrectiveAction, ids.ca_id)
        coordinator = db.session.get(User, people.coordinator.id)
        second = services.add_action(coordinator, ca, description="Tập huấn cán bộ",
                                     owner_id=people.staff.id, due_on=clock.today(),
                                     today=clock.today())
        services.complete_action(coordinator, ca, second, today=clock.today(), note="Xong")
        db.session.commit()
    staff = _client(app, login, people.staff)
    assert _post(staff, ids, "cancel", reason="Không cần").status_code == 403
    other_head = make.user(departments=[(people.other.id, "department_head")])
    assert _post(_client(app, login, other_head), ids, "cancel",
                 reason="Không cần").status_code == 403
    empty = _post(head, ids, "cancel", reason="")
    assert empty.status_code == 400
    assert _action(app, ids.action_id).status == "open"
    assert _post(head, ids, "cancel", reason="Trùng với hành động tập huấn").status_code == 302
    action = _action(app, ids.action_id)
    assert (action.status, action.cancelled_on, action.cancel_reason) == (
        "cancelled", clock.today(), "Trùng với hành động tập huấn")
    with app.app_context():
        assert db.session.get(CorrectiveAction, ids.ca_id).status == "verifying"
        assert verify().ok
    page = head.get(f"/corrective-actions/{ids.ca_id}").get_data(as_text=True)
    assert "Cancelled on" in page and "Trùng với hành động tập huấn" in page
    assert [e[1]["reason"] for e in _events(app, ids.ca_id, "corrective.action_cancel")] == [
        "Trùng với hành động tập huấn"]


def test_nothing_changes_once_the_corrective_action_is_closed(app, make, login):
    people, ids, _head = _world(app, make, login, "closed")
    coordinator = _client(app, login, people.coordinator)
    page = coordinator.get(f"/corrective-actions/{ids.ca_id}").get_data(as_text=True)
    assert 'data-testid="action-change-1"' not in page
    for verb, fields in (("edit", {"description": "Khác"}),
                         ("reschedule", {"due_on": clock.today().isoformat(), "reason": "x"}),
                         ("reassign", {"owner_id": people.coordinator.id}),
                         ("cancel", {"reason": "x"})):
        response = _post(coordinator, ids, verb, version=2, **fields)
        assert response.status_code == 409, verb
        assert "The corrective action is closed" in response.text
