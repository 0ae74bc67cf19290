"""A person's own notifications: marking them read."""

from __future__ import annotations

from flask_babel import gettext as _gettext
from sqlalchemy import update

from compliance.core.db import utcnow
from compliance.core.errors import NotFound
from compliance.core.extensions import db
from compliance.notifications import rules
from compliance.notifications.models import Notification


def mark_read(user, notification_id: int) -> Notification:
    """Mark one of the person's own notifications read."""
    note = db.session.get(Notification, notification_id)
    # Someone else's is answered as missing: its existence is not the reader's business.
    if note is None or not rules.may_read(user, note):
        raise NotFound(_gettext("No such notification."))
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()
    return note


def mark_all_read(user) -> int:
    """Mark every unread notification of the person read; returns how many."""
    result = db.session.execute(
        rules.visible_notifications(user, update(Notification))
        .where(Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    return result.rowcount or 0
