"""Email end to end: job → outbox → a real SMTP server, in each reader's language; digest;
SMTP down then up; giving up after the last attempt; the retry button."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from compliance.core.db import utcnow
from compliance.core.job_results import JobResult
from compliance.documents.models import Document
from tests.conftest import do_login
from tests.documents.helpers import document_target
from tests.notifications.conftest import BASE_URL, at
from tests.notifications.helpers import emails, notification_for, raised, run, set_columns

DUE = date(2026, 9, 30)
ORG_VI, ORG_EN = "Ủy ban nhân dân huyện Thanh Bình", "Thanh Bình District People's Committee"
NOTHING_DUE = JobResult("outbox.nothing_due")


def _delivered(sent: int, failed: int = 0, left: int = 0) -> JobResult:
    return JobResult("outbox.delivered", {"sent": sent, "failed": failed, "left": left})


def _digests(count: int) -> JobResult:
    return JobResult("digest.queued", {"count": count})


def _documents(app, make, *owners, due=DUE) -> list:
    dept = make.department()
    docs = []
    for owner in owners:
        doc = document_target(app, dept.id, owner.id)
        set_columns(app, Document, doc.document_id, next_review_date=due)
        docs.append(doc)
    return docs


def _parts(received):
    message = received.message
    return (message["Subject"], message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content())


def test_each_reader_gets_an_email_in_their_language_with_an_absolute_link(
        mail_app, mail_make, smtp_server):
    vi = mail_make.user(name="Ngô Thị Mai", locale="vi", email="mai@thanhbinh.example")
    en = mail_make.user(name="John Carter", locale="en", email="john@thanhbinh.example")
    doc_vi, doc_en = _documents(mail_app, mail_make, vi, en)
    now = at(DUE - timedelta(days=30))
    run(mail_app, "alerts.reviews", now)
    assert [e.status for e in emails(mail_app)] == ["waiting", "waiting"]
    assert smtp_server.messages == []  # the job only queues; the outbox sends

    assert run(mail_app, "outbox", now) == _delivered(2)
    assert len(smtp_server.messages) == 2
    [to_vi], [to_en] = smtp_server.to(vi.email), smtp_server.to(en.email)

    subject, text, html = _parts(to_vi)
    assert to_vi.message["To"] == vi.email
    assert to_vi.message["From"] == "iso@thanhbinh.example"
    assert subject.startswith(f"[{ORG_VI}]") and doc_vi.code in subject
    assert "Quy trình kiểm thử" in subject and "30/09/2026" in subject
    assert "Test procedure" not in text + html
    link = f"{BASE_URL}/documents/{doc_vi.document_id}"
    assert link in text and f'href="{link}"' in html and '<html lang="vi">' in html
    assert "Ngô Thị Mai" in text

    subject, text, html = _parts(to_en)
    assert subject.startswith(f"[{ORG_EN}]") and "Test procedure" in subject
    assert "30 Sep 2026" in subject and "is due on" in subject and "Hello John Carter" in text
    link = f"{BASE_URL}/documents/{doc_en.document_id}"
    assert link in text and f'href="{link}"' in html and '<html lang="en">' in html

    note = raised(mail_app, user_id=en.id)[0]
    assert to_en.message["X-Compliance-Key"] == f"notification:{note.id}"
    sent = emails(mail_app)
    assert {(e.status, e.attempts) for e in sent} == {("sent", 1)}
    assert {e.locale for e in sent} == {"vi", "en"}
    assert run(mail_app, "outbox", now + timedelta(minutes=5)) == NOTHING_DUE
    assert len(smtp_server.messages) == 2


def test_links_keep_a_base_url_path_once(mail_app_for, smtp_server):
    app = mail_app_for(smtp_server, BASE_URL="https://portal.example/qms/")
    from tests.conftest import Maker

    make = Maker(app)
    owner = make.user(email="owner@portal.example")
    [doc] = _documents(app, make, owner)
    now = at(DUE)
    run(app, "alerts.reviews", now)
    run(app, "outbox", now)
    _subject, text, html = _parts(smtp_server.messages[0])
    link = f"https://portal.example/qms/documents/{doc.document_id}"
    assert link in text and f'href="{link}"' in html and "/qms/qms/" not in text


def test_digest_sends_one_email_a_day_listing_the_day_and_nothing_twice(
        mail_app, mail_make, smtp_server):
    reader = mail_make.user(name="Đỗ Quang Huy", locale="vi", email_mode="digest",
                            email="huy@thanhbinh.example")
    quiet = mail_make.user(name="Lý Thu Trang", email_mode="none", email="trang@example.test")
    first, second, _quiet_doc = _documents(mail_app, mail_make, reader, reader, quiet)
    later = _documents(mail_app, mail_make, reader, due=DUE + timedelta(days=1))[0]
    day = DUE - timedelta(days=30)
    run(mail_app, "alerts.reviews", at(day))
    assert {n.email_state for n in raised(mail_app, user_id=reader.id)} == {"digest"}
    assert {n.email_state for n in raised(mail_app, user_id=quiet.id)} == {"none"}
    run(mail_app, "outbox", at(day))
    assert smtp_server.messages == []  # nothing goes out one by one

    assert run(mail_app, "digest", at(day, 7)) == _digests(1)
    run(mail_app, "outbox", at(day, 7))
    [digest] = smtp_server.messages
    subject, text, html = _parts(digest)
    assert digest.to == [reader.email] and subject.startswith(f"[{ORG_VI}]")
    assert subject == f"[{ORG_VI}] Tổng hợp hằng ngày: 2 mục"
    for doc in (first, second):
        assert f"{BASE_URL}/documents/{doc.document_id}" in text and doc.code in html
    assert later.code not in text
    assert {n.email_state for n in raised(mail_app, user_id=reader.id)} == {"digested"}

    # Raised after today's digest left: it waits for tomorrow's, the second run sends nothing.
    late_id = notification_for(mail_app, reader.id, "test:after-digest")
    assert run(mail_app, "digest", at(day, 8)) == _digests(0)
    run(mail_app, "outbox", at(day, 8))
    assert len(smtp_server.messages) == 1

    tomorrow = day + timedelta(days=1)
    run(mail_app, "alerts.reviews", at(tomorrow))
    assert run(mail_app, "digest", at(tomorrow, 7)) == _digests(1)
    run(mail_app, "outbox", at(tomorrow, 7))
    assert len(smtp_server.messages) == 2
    _subject, text, _html = _parts(smtp_server.messages[1])
    assert later.code in text and "QT-01" in text and first.code not in text
    assert [n.email_state for n in raised(mail_app, id=late_id)] == ["digested"]
    assert smtp_server.to(quiet.email) == []
    assert run(mail_app, "digest", at(tomorrow, 9)) == _digests(0)


def test_smtp_down_then_up_delivers_every_email_once(mail_app_for, smtp_down):
    app = mail_app_for(smtp_down)
    from tests.conftest import Maker

    make = Maker(app)
    owners = [make.user(email=f"owner{n}@example.test") for n in range(3)]
    _documents(app, make, *owners)
    start = at(DUE)
    run(app, "alerts.reviews", start)
    down = run(app, "outbox", start)
    assert (down.code, down.params["count"]) == ("outbox.unreachable", 3)
    assert down.params["error"].startswith("ConnectionRefusedError")
    waiting = emails(app)
    assert [(e.status, e.attempts) for e in waiting] == [("waiting", 1)] * 3
    assert all("ConnectionRefusedError" in e.last_error for e in waiting)
    assert {e.next_attempt_at for e in waiting} == {start + timedelta(minutes=1)}

    # Backing off: nothing is tried before its time, then every try doubles the wait.
    assert run(app, "outbox", start + timedelta(seconds=59)) == NOTHING_DUE
    assert run(app, "outbox", start + timedelta(minutes=1)).code == "outbox.unreachable"
    assert {(e.attempts, e.next_attempt_at) for e in emails(app)} == {
        (2, start + timedelta(minutes=3))}

    smtp_down.start()
    assert run(app, "outbox", start + timedelta(minutes=2)) == NOTHING_DUE
    assert run(app, "outbox", start + timedelta(minutes=3)) == _delivered(3)
    assert sorted(m.to[0] for m in smtp_down.messages) == sorted(o.email for o in owners)
    assert {(e.status, e.attempts, e.last_error) for e in emails(app)} == {("sent", 3, None)}
    run(app, "alerts.reviews", start + timedelta(minutes=4))
    run(app, "outbox", start + timedelta(hours=1))
    assert len(smtp_down.messages) == 3


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_an_email_fails_after_the_last_attempt_and_the_retry_button_sends_it(
        mail_app_for, smtp_down, role):
    app = mail_app_for(smtp_down, MAIL_MAX_ATTEMPTS=3)
    from tests.conftest import Maker

    make = Maker(app)
    owner = make.user(email="owner@example.test", locale="vi")
    _documents(app, make, owner)
    start = at(DUE)
    run(app, "alerts.reviews", start)
    for minutes in (0, 1, 3):
        run(app, "outbox", start + timedelta(minutes=minutes))
    [email] = emails(app)
    assert (email.status, email.attempts) == ("failed", 3)
    smtp_down.start()
    assert run(app, "outbox", start + timedelta(days=1)) == NOTHING_DUE
    assert smtp_down.messages == []

    client = app.test_client()
    do_login(client, make.user(roles=[role]).email)
    page = client.get("/admin/scheduler/?status=failed").get_data(as_text=True)
    assert "owner@example.test" in page and "ConnectionRefusedError" in page
    response = client.post(f"/admin/scheduler/outbox/{email.id}/retry")
    assert response.status_code == 302
    [email] = emails(app)
    assert (email.status, email.attempts) == ("waiting", 0)
    run(app, "outbox", utcnow())
    assert [m.to for m in smtp_down.messages] == [[owner.email]]
    assert emails(app)[0].status == "sent"
    # A sent email is not sent again from the button.
    client.post(f"/admin/scheduler/outbox/{email.id}/retry")
    run(app, "outbox", utcnow() + timedelta(hours=1))
    assert len(smtp_down.messages) == 1


def test_the_retry_button_is_refused_to_a_department_head(mail_app_for, smtp_down):
    app = mail_app_for(smtp_down)
    from tests.conftest import Maker
    from tests.notifications.helpers import failed_email

    make = Maker(app)
    email_id = failed_email(app)
    client = app.test_client()
    dept = make.department()
    do_login(client, make.user(departments=[(dept.id, "department_head")]).email)
    assert client.post(f"/admin/scheduler/outbox/{email_id}/retry").status_code == 403
    assert emails(app)[0].status == "failed"
