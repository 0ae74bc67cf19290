"""The bell, the list, opening and marking read, email settings, the scheduler page, and the
department form's certificate fields."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.auth.models import User
from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db
from compliance.core.jobs import jobs_of, record_status
from compliance.notifications.services import Alert, raise_alerts
from compliance.org.models import Department
from tests.notifications.helpers import failed_email, notification_for, raised, run

BELL = re.compile(r'data-testid="bell-count">([^<]+)<')


def _bell(client) -> str | None:
    found = BELL.search(client.get("/notifications/").get_data(as_text=True))
    return found.group(1) if found else None


def test_bell_list_open_and_mark_read(app, client, make, login):
    me = make.user(name="Ngô Thị Mai")
    other = make.user()
    login(client, me.email)
    assert _bell(client) is None
    ids = [notification_for(app, me.id, f"test:{n}") for n in range(3)]
    theirs = notification_for(app, other.id, "test:theirs")
    assert _bell(client) == "3"

    page = client.get("/notifications/").get_data(as_text=True)
    assert page.count("The periodic review of QT-01 “Procedure” is due on") == 3
    assert 'data-testid="notifications"' in page

    response = client.post(f"/notifications/{ids[0]}/open")
    assert response.status_code == 302 and response.headers["Location"] == "/documents/"
    assert raised(app, id=ids[0])[0].read_at is not None
    assert _bell(client) == "2"
    unread = client.get("/notifications/?show=unread").get_data(as_text=True)
    assert unread.count("The periodic review of") == 2

    assert client.post(f"/notifications/{ids[1]}/read").headers["Location"] == \
        "/notifications/"
    assert _bell(client) == "1"
    response = client.post("/notifications/read-all", follow_redirects=True)
    assert "1 notification marked read." in response.get_data(as_text=True)
    assert _bell(client) is None
    assert raised(app, id=theirs)[0].read_at is None


def test_nobody_opens_or_marks_another_persons_notification(app, client, make, login):
    me, other = make.user(), make.user()
    theirs = notification_for(app, other.id, "test:theirs")
    login(client, me.email)
    assert client.post(f"/notifications/{theirs}/open").status_code == 404
    assert client.post(f"/notifications/{theirs}/read").status_code == 404
    assert client.post("/notifications/999999/open").status_code == 404
    client.post("/notifications/read-all")
    assert raised(app, id=theirs)[0].read_at is None
    assert "QT-01" not in client.get("/notifications/").get_data(as_text=True)


def test_opening_a_notification_never_leaves_the_app(app, client, make, login):
    me = make.user()
    with app.app_context(), app.test_request_context(), write_intent():
        raise_alerts([Alert("review_due_today", "test:away", [me.id],
                            {"code": "QT-02", "title_vi": "A", "title_en": "A"},
                            "//evil.example/phish")])
        db.session.commit()
    login(client, me.email)
    note = raised(app)[0]
    assert client.post(f"/notifications/{note.id}/open").headers["Location"] == \
        "/notifications/"


def test_vietnamese_reader_sees_the_list_in_vietnamese_values(app, client, make, login):
    me = make.user(locale="vi")
    notification_for(app, me.id)
    login(client, me.email)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "“Quy trình”" in page and "“Procedure”" not in page


def test_settings_choose_digest_or_in_app_only(app, client, make, login):
    me = make.user()
    login(client, me.email)
    page = client.get("/notifications/settings").get_data(as_text=True)
    for value in ("immediate", "digest", "none"):
        assert f'value="{value}"' in page
    assert "Email is not set up" in page  # this app has no SMTP host
    for mode in ("digest", "none"):
        response = client.post("/notifications/settings", data={"email_mode": mode})
        assert response.status_code == 302
        with app.app_context():
            assert db.session.get(User, me.id).email_mode == mode
    assert client.post("/notifications/settings",
                       data={"email_mode": "pigeon"}).status_code == 400
    with app.app_context():
        assert db.session.get(User, me.id).email_mode == "none"
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "user.email_mode").order_by(AuditEvent.seq)).all()
    assert len(events) == 2


def test_settings_refusal_names_the_choice_at_its_field(app, client, make, login):
    me = make.user(email_mode="digest")
    login(client, me.email)
    for data in ({"email_mode": ""}, {"email_mode": "pigeon"}):
        response = client.post("/notifications/settings", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Choose one of the offered email settings." in page
        assert "Not a valid choice" not in page and "This field is required" not in page
    with app.app_context():
        assert db.session.get(User, me.id).email_mode == "digest"


def test_email_off_means_in_app_only(app, make):
    me = make.user(email_mode="immediate")
    notification_for(app, me.id)
    assert [n.email_state for n in raised(app)] == ["none"]


def test_scheduler_page_shows_jobs_last_run_and_the_outbox(app, client, make, login):
    login(client, make.user(roles=["coordinator"]).email)
    page = client.get("/admin/scheduler/").get_data(as_text=True)
    assert "No scheduler has reported yet" in page
    for entry in jobs_of(app):
        assert f"<code>{entry.id}</code>" in page
    assert "06:00" in page and "07:00" in page  # ALERT_HOUR and DIGEST_HOUR

    run(app, "alerts.reviews", utcnow())
    record_status(app, utcnow())
    failed_email(app)
    page = client.get("/admin/scheduler/").get_data(as_text=True)
    assert "0 new notifications" in page and "No scheduler has reported yet" not in page
    assert "pid" in page
    assert "someone@example.com" in page and "ConnectionRefusedError" in page
    assert "Failed (1)" in page
    sent_only = client.get("/admin/scheduler/?status=sent").get_data(as_text=True)
    assert "someone@example.com" not in sent_only


def test_department_form_saves_and_shows_the_certificate(app, client, make, login):
    login(client, make.user(roles=["admin"]).email)
    data = {"code": "TCKH", "name_vi": "Phòng Tài chính - Kế hoạch",
            "name_en": "Finance and Planning Office", "parent_id": "0", "active": "y",
            "certificate_number": " QMS-2026-017 ", "certification_body": "Quacert",
            "certificate_expires_on": "2027-03-31"}
    response = client.post("/departments/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        dept = db.session.scalar(select(Department).where(Department.code == "TCKH"))
        assert (dept.certificate_number, dept.certification_body,
                dept.certificate_expires_on) == ("QMS-2026-017", "Quacert", date(2027, 3, 31))
        dept_id, version = dept.id, dept.version
    page = client.get(f"/departments/{dept_id}").get_data(as_text=True)
    assert "QMS-2026-017" in page and "Quacert" in page and "31 Mar 2027" in page

    form = client.get(f"/departments/{dept_id}/edit").get_data(as_text=True)
    assert 'value="QMS-2026-017"' in form and 'value="31/03/2027"' in form
    edited = dict(data, certificate_expires_on="2028-04-30", certification_body="",
                  version=str(version))
    assert client.post(f"/departments/{dept_id}/edit", data=edited).status_code == 302
    with app.app_context():
        dept = db.session.get(Department, dept_id)
        assert (dept.certification_body, dept.certificate_expires_on) == \
            (None, date(2028, 4, 30))
    bad = dict(edited, certificate_expires_on="31/13/2028", version=str(version + 1))
    assert client.post(f"/departments/{dept_id}/edit", data=bad).status_code == 400
    with app.app_context():
        assert db.session.get(Department, dept_id).certificate_expires_on == date(2028, 4, 30)
