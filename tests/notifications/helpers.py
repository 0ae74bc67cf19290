"""Notifications and outbox rows for tests, made through the services the jobs use."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

from compliance.db import write_intent
from compliance.extensions import db
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
    if endpoint.split(".")[0] not in ("notifications", "scheduler"):
        return SimpleNamespace()
    owner = user_id if key == "own" and user_id is not None else other_id
    return SimpleNamespace(notification_id=notification_for(app, owner, f"walk:{key}"),
                           email_id=failed_email(app))
