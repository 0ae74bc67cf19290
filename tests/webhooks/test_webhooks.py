"""Webhooks end to end: a real receiver on 127.0.0.1 (allowed through WEBHOOK_ALLOWED_HOSTS)
gets one signed `revision.in_force` when a revision is published; a failing receiver is
retried with back-off, each attempt logged; a delivery is sent again by hand; loopback is
refused without the allow-list, at the form's field and as a 422 on the API."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from compliance.auth.models import User
from compliance.core import clock
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.core.uow import unit_of_work
from compliance.documents.models import Document, Revision
from compliance.documents.services import approval
from compliance.webhooks import sealing, signing
from compliance.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from compliance.webhooks.services import raise_event
from tests.api.helpers import bearer
from tests.documents.helpers import blank_pdf, document_target
from tests.notifications.helpers import run
from tests.webhooks.helpers import Receiver, hook_for


@pytest.fixture
def receiver(app):
    """The receiver, running, its host allowed for this app."""
    found = Receiver()
    found.thread.start()
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ("127.0.0.1", "hooks.example.com")
    yield found
    found.server.shutdown()
    found.server.server_close()


def _publish(app, department_id: int, admin_id: int, *, fail: bool = False) -> int:
    """Bring an approved revision into force, as the scheduler does; `fail` rolls it back."""
    target = document_target(app, department_id, admin_id, "approved", content=blank_pdf())
    # The failure is the test's own, raised to roll the unit of work back.
    with app.app_context(), app.test_request_context(), contextlib.suppress(RuntimeError), \
            unit_of_work():
        revision = db.session.get(Revision, target.revision_id)
        revision.effective_date = clock.today()
        approval.make_effective(db.session.get(User, admin_id),
                                db.session.get(Document, target.document_id), revision)
        if fail:
            raise RuntimeError("rolled back")
    return target.revision_id


def _deliveries(app) -> list[WebhookDelivery]:
    with app.app_context():
        rows = db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id))
        return [(d.id, d.status, d.attempts, d.next_attempt_at, d.last_status_code)
                for d in rows]


def test_a_published_revision_is_posted_once_signed_and_retried_with_back_off(
        app, make, client, login, receiver):
    admin = make.user(roles=["admin"])
    department = make.department()
    headers = bearer(app, admin.id)
    created = client.post("/api/v1/webhooks/", headers=headers, json={
        "name": "Cổng thông tin", "url": receiver.url,
        "events": ["revision.in_force", "finding.raised"]})
    assert created.status_code == 201, created.get_json()
    receiver.secret = created.get_json()["secret"]
    with app.app_context():  # sealed, not stored in clear
        box = db.session.get(Webhook, created.get_json()["id"]).secret_box
        assert receiver.secret not in box and sealing.open_sealed(box) == receiver.secret
    # A change rolled back raises nothing; the one committed raises one delivery.
    _publish(app, department.id, admin.id, fail=True)
    assert _deliveries(app) == []
    revision_id = _publish(app, department.id, admin.id)
    now = clock.utcnow()
    run(app, "webhooks", now)
    assert len(receiver.posts) == 1
    post = receiver.posts[0]
    assert post.verified and post.path == "/hooks/in"
    assert post.headers["Compliance-Event"] == "revision.in_force"
    body = receiver.json()
    assert body["event"] == "revision.in_force" and body["id"] == post.headers[
        "Compliance-Delivery"]
    assert body["data"]["revision"]["id"] == revision_id
    assert not signing.verify(receiver.secret, post.headers["Compliance-Signature"],
                              post.body, int(now.timestamp()) + 3600)  # a replay, later
    # A receiver answering 500 is tried again after 1, then 2 minutes, each try logged.
    receiver.statuses = [500, 500]
    _publish(app, department.id, admin.id)
    now = clock.utcnow()
    run(app, "webhooks", now)
    run(app, "webhooks", now + timedelta(seconds=30))  # not due yet: backing off
    run(app, "webhooks", now + timedelta(minutes=1))
    failing = _deliveries(app)[-1]
    assert len(receiver.posts) == 3 and failing[1:3] == ("waiting", 2)
    assert failing[3] == now + timedelta(minutes=3) and failing[4] == 500
    with app.app_context():
        log = db.session.scalars(db.select(WebhookAttempt.status_code).where(
            WebhookAttempt.delivery_id == failing[0])).all()
    assert log == [500, 500]
    # The admin sends the first (sent) delivery again by hand, from its page.
    login(client, admin.email)
    hook_id = created.get_json()["id"]
    page = client.get(f"/admin/webhooks/{hook_id}")
    assert page.status_code == 200 and "HTTP 500" in page.get_data(as_text=True)
    first = _deliveries(app)[0][0]
    assert client.post(f"/admin/webhooks/{hook_id}/deliveries/{first}/redeliver").status_code \
        == 302
    run(app, "webhooks", now + timedelta(minutes=3))
    assert len(receiver.posts) == 5 and all(p.verified for p in receiver.posts)
    assert revision_id in {receiver.json(i)["data"]["revision"]["id"] for i in (-1, -2)}
    assert [d[1] for d in _deliveries(app)] == ["sent", "sent"]


@pytest.mark.one_database
def test_loopback_and_private_hosts_are_refused_without_the_allow_list(app, make, client,
                                                                        login):
    admin = make.user(roles=["admin"])
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ()
    headers = bearer(app, admin.id)
    for url in ("http://127.0.0.1:8000/in", "http://[::1]/in", "http://169.254.169.254/",
                "http://10.0.0.8/in", "http://0.0.0.0/", "ftp://hooks.example.com/",
                "http://localhost:5000/in"):
        answer = client.post("/api/v1/webhooks/", headers=headers, json={
            "name": "X", "url": url, "events": ["revision.in_force"]})
        assert answer.status_code == 422, url
        assert answer.get_json()["error"]["field"] == "url", url
    login(client, admin.email)
    page = client.post("/admin/webhooks/new", data={
        "name": "X", "url": "http://192.168.1.20:9/in", "events": ["revision.in_force"],
        "active": "y"})
    assert page.status_code == 400
    assert 'id="url-error-0">This URL points at a loopback' in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Webhook)) == 0
    # Allowed by name, but the DNS changed since: refused again at delivery, logged.
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ("127.0.0.1",)
    hook_id, _secret = hook_for(app, admin.id, url="http://127.0.0.1:9/in")
    with app.app_context(), write_intent():
        raise_event(db.session.get(Webhook, hook_id).organisation_id, "revision.in_force",
                    "t:1", {})
        db.session.commit()
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ()
    run(app, "webhooks", clock.utcnow())
    with app.app_context():
        attempt = db.session.scalar(db.select(WebhookAttempt))
        assert attempt.status_code is None and attempt.error.startswith("refused")


@pytest.mark.one_database
def test_the_api_reads_and_changes_a_hook_with_if_match(app, make, client):
    admin = make.user(roles=["admin"])
    headers = bearer(app, admin.id)
    created = client.post("/api/v1/webhooks/", headers=headers, json={
        "name": "Cổng", "url": "https://hooks.example.com/in", "events": ["measure.below_target"]})
    hook = created.get_json()
    assert "secret" in hook
    read = client.get(f"/api/v1/webhooks/{hook['id']}", headers=headers)
    assert read.status_code == 200 and "secret" not in read.get_json()
    assert client.patch(f"/api/v1/webhooks/{hook['id']}", headers=headers,
                        json={"active": False}).status_code == 428
    changed = client.patch(f"/api/v1/webhooks/{hook['id']}", json={"active": False},
                           headers={**headers, "If-Match": read.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["active"] is False
    stale = client.patch(f"/api/v1/webhooks/{hook['id']}", json={"name": "Y"},
                         headers={**headers, "If-Match": read.headers["ETag"]})
    assert stale.status_code == 412
    listed = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries/", headers=headers)
    assert listed.status_code == 200 and listed.get_json() == []


@pytest.mark.one_database
def test_findings_missed_measures_and_late_corrective_actions_raise_their_events(app, make,
                                                                                 client):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from tests.audits.helpers import audit_target
    from tests.capa.helpers import TODAY, ca_in_state
    from tests.quality.measures.helpers import cast, measure, record

    people = cast(make)
    admin = make.user(roles=["admin"])
    hook_for(app, admin.id, events=("finding.raised", "measure.below_target",
                                    "corrective_action.overdue"))
    audit = audit_target(app, make, people.other.id, "in_progress")
    raised = client.post(f"/api/v1/audits/{audit.audit_id}/findings/",
                         headers=bearer(app, admin.id),
                         json={"grade": "major", "description": "Sổ theo dõi thiếu"})
    assert raised.status_code == 201, raised.get_json()
    record(app, people.recorder.id, measure(app, people), "2026-01", value=80)
    ca_in_state(app, people.dept.id, "actions_in_progress", coordinator_id=admin.id,
                owner_id=people.staff.id)
    later = datetime.combine(TODAY + timedelta(days=20), time(9), ZoneInfo("Asia/Ho_Chi_Minh"))
    assert run(app, "webhooks.overdue", later).params["count"] >= 1
    # Once per corrective action: the second sweep raises nothing.
    assert run(app, "webhooks.overdue", later).params == {"count": 0}
    with app.app_context():
        events = db.session.scalars(db.select(WebhookDelivery.event)
                                    .order_by(WebhookDelivery.id)).all()
    # The finding's own corrective action is late too by then (its target date passed).
    assert events[:2] == ["finding.raised", "measure.below_target"]
    assert set(events[2:]) == {"corrective_action.overdue"} and len(events) >= 3
