"""Notifications and outbox rows for tests, made through the services the jobs use."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.core.job_results import JobResult
from compliance.core.jobs import job, run_job
from compliance.notifications.models import OutboundEmail
from compliance.notifications.services import Alert, raise_alerts


def notification_for(app, user_id: int, key: str = "test:1") -> int:
    """A review-due notification for one person; returns its id."""
    from compliance.notifications.models import Notification

    with app.app_context(), app.test_request_context(), write_intent():
        raise_alerts([Alert("review_due", key, [user_id],
                            {"code": "QT-01", "title_vi": "Quy trình", "title_en": "Procedure",
                             "due": "2026-12-01"}, "/documents/")])
        db.session.commit()
        return db.session.scalar(db.select(Notification.id).where(
            Notification.user_id == user_id, Notification.dedupe_key == key))


_numbers = itertools.count(1)


def failed_email(app, user_id: int | None = None) -> int:
    """An outbox row given up on after its attempts; returns its id."""
    with app.app_context(), write_intent():
        email = OutboundEmail(dedupe_key=f"test:{next(_numbers)}", user_id=user_id,
                              to_address="someone@example.com", locale="vi", subject="Thử",
                              text_body="x", html_body="<p>x</p>", status="failed",
                              attempts=8, last_error="ConnectionRefusedError")
        db.session.add(email)
        db.session.commit()
        return email.id


def notification_target(app, endpoint: str, user_id: int | None, other_id: int,
                        key: str) -> SimpleNamespace:
    """Ids for the permission walk: a notification (own or someone else's), an email."""
    if endpoint.split(".")[0] != "notifications":
        return SimpleNamespace()
    owner = user_id if key == "own" and user_id is not None else other_id
    return SimpleNamespace(notification_id=notification_for(app, owner, f"walk:{key}"),
                           email_id=failed_email(app))


# For the alert-job tests: run a job at a chosen organisation day, and read back what it raised.

def run(app, job_id: str, now) -> JobResult:
    """Run one scheduled job through the scheduler's wrapper at an injected time."""
    ok, result = run_job(app, job(app, job_id), now=now)
    assert ok, result
    return result


def new(count: int) -> JobResult:
    """What an alert job reports when it raised `count` new notifications."""
    return JobResult("notifications.new", {"count": count})


def raised(app, **where) -> list[SimpleNamespace]:
    """Every notification (optionally filtered by column values), oldest first."""
    from compliance.notifications.models import Notification

    with app.app_context():
        query = db.select(Notification).order_by(Notification.id)
        for column, value in where.items():
            query = query.where(getattr(Notification, column) == value)
        return [SimpleNamespace(id=n.id, user_id=n.user_id, kind=n.kind, key=n.dedupe_key,
                                link=n.link, params=n.params, email_state=n.email_state,
                                read_at=n.read_at)
                for n in db.session.scalars(query)]


def sentence(app, note, locale: str) -> str:
    """A notification's text as a reader of that language sees it."""
    from flask_babel import force_locale

    from compliance.notifications.kinds import render

    with app.app_context(), app.test_request_context(), force_locale(locale):
        return render(note.kind, note.params, locale)


def emails(app, **where) -> list[SimpleNamespace]:
    """Outbox rows, oldest first."""
    with app.app_context():
        query = db.select(OutboundEmail).order_by(OutboundEmail.id)
        for column, value in where.items():
            query = query.where(getattr(OutboundEmail, column) == value)
        return [SimpleNamespace(id=e.id, key=e.dedupe_key, to=e.to_address, status=e.status,
                                attempts=e.attempts, last_error=e.last_error,
                                next_attempt_at=e.next_attempt_at, sent_at=e.sent_at,
                                locale=e.locale, subject=e.subject)
                for e in db.session.scalars(query)]


def set_columns(app, model, row_id: int, **values) -> None:
    """Put dates on a row made through the services (a due date, a certificate's expiry)."""
    with app.app_context(), write_intent():
        row = db.session.get(model, row_id)
        for column, value in values.items():
            setattr(row, column, value)
        db.session.commit()
