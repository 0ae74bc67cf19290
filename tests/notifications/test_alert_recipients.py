"""Who hears about what: an escalation never goes back to the owner, nobody hears about one
thing twice on a day, and readers hear at once that a revision they must read is in force."""

from __future__ import annotations

from datetime import date, timedelta

from compliance.core.db import utcnow
from compliance.documents.models import Document
from tests.conftest import do_login
from tests.documents.helpers import document_target
from tests.factories import PASSWORD
from tests.notifications.conftest import at
from tests.notifications.helpers import emails, raised, run, set_columns

DUE = date(2026, 9, 30)


def _overdue_document(app, make, owner_id: int, dept_id: int) -> int:
    doc = document_target(app, dept_id, owner_id)
    set_columns(app, Document, doc.document_id, next_review_date=DUE)
    return doc.document_id


def _new(app, day: date) -> list:
    before = {n.id for n in raised(app)}
    run(app, "alerts.reviews", at(day))
    return [(n.user_id, n.kind) for n in raised(app) if n.id not in before]


def test_an_owner_who_heads_the_department_is_escalated_over_to_the_coordinator(app, make):
    dept = make.department()
    head = make.user(departments=[(dept.id, "department_head")])
    coordinator = make.user(roles=["coordinator"])
    _overdue_document(app, make, head.id, dept.id)
    assert _new(app, DUE + timedelta(days=1)) == [(head.id, "review_overdue")]
    # The head's step: the owner is the head, so the coordinator hears instead.
    assert _new(app, DUE + timedelta(days=7)) == [(coordinator.id, "review_overdue_escalated")]
    assert _new(app, DUE + timedelta(days=14)) == []
    assert [n.kind for n in raised(app, user_id=head.id)] == ["review_overdue"]


def test_one_notification_and_one_email_per_person_and_review_a_day(mail_app, mail_make):
    dept = mail_make.department()
    owner = mail_make.user(departments=[(dept.id, "department_head")], email="o@example.test")
    coordinator = mail_make.user(roles=["coordinator"], email="b@example.test")
    other = mail_make.user(departments=[(dept.id, "department_head")], email="h@example.test")
    both = mail_make.user(roles=["coordinator"], departments=[(dept.id, "department_head")],
                          email="c@example.test")
    _overdue_document(mail_app, mail_make, owner.id, dept.id)
    # The scheduler was off: its first run finds the review 14 days overdue.
    day = DUE + timedelta(days=14)
    new = _new(mail_app, day)
    assert sorted(new) == sorted([(owner.id, "review_overdue"),
                                  (other.id, "review_overdue_escalated"),
                                  # head and coordinator at once: one escalation, not two
                                  (both.id, "review_overdue_escalated"),
                                  (coordinator.id, "review_overdue_escalated")])
    run(mail_app, "outbox", at(day))
    assert sorted(e.to for e in emails(mail_app)) == sorted(
        ["o@example.test", "h@example.test", "c@example.test", "b@example.test"])
    assert _new(mail_app, day + timedelta(days=1)) == []


def test_a_new_event_about_the_same_review_waits_for_the_next_day(mail_app, mail_make):
    dept = mail_make.department()
    owner = mail_make.user(departments=[(dept.id, "staff")], email="o@example.test")
    doc_id = _overdue_document(mail_app, mail_make, owner.id, dept.id)
    set_columns(mail_app, Document, doc_id, next_review_date=DUE + timedelta(days=7))
    assert _new(mail_app, DUE) == [(owner.id, "review_due")]
    # Later that day the review date is brought forward to today (an interval shortened).
    set_columns(mail_app, Document, doc_id, next_review_date=DUE)
    assert _new(mail_app, DUE) == []
    run(mail_app, "outbox", at(DUE))
    assert [e.to for e in emails(mail_app)] == ["o@example.test"]
    assert _new(mail_app, DUE + timedelta(days=1)) == [(owner.id, "review_overdue")]


def test_readers_hear_at_once_when_a_revision_they_must_read_comes_into_force(
        mail_app, mail_make, smtp_server):
    dept = mail_make.department()
    author = mail_make.user(departments=[(dept.id, "department_head")])
    reader = mail_make.user(name="Đỗ Quang Huy", locale="vi", email="huy@example.test",
                            departments=[(dept.id, "staff")])
    coordinator = mail_make.user(roles=["coordinator"])
    doc = document_target(mail_app, dept.id, author.id, state="in_review")
    client = mail_app.test_client()
    do_login(client, coordinator.email)
    response = client.post(f"/documents/{doc.document_id}/revisions/{doc.revision_id}/sign",
                           data={"meaning": "approved", "password": PASSWORD})
    assert response.status_code == 302
    [note] = raised(mail_app, user_id=reader.id)
    assert (note.kind, note.link) == ("ack_requested", "/documents/to-read")
    assert {n.user_id for n in raised(mail_app, kind="ack_requested")} == {reader.id, author.id}
    run(mail_app, "outbox", utcnow())
    [mail] = smtp_server.to(reader.email)
    subject = mail.message["Subject"]
    assert doc.code in subject and "01" in subject
    assert "/documents/to-read" in mail.message.get_body(("plain",)).get_content()
