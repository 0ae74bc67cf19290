"""Who sees which notification, and who runs the scheduler page: the one rule book.

A notification is its recipient's alone: nobody else (not even an administrator) reads it,
opens it or marks it read; someone else's is answered as not found. The scheduler page and
its outbox are for the roles holding `scheduler.read`; retrying an email needs
`scheduler.manage` (the coarse role table in auth.permissions).
"""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import Select, false

from compliance.auth.permissions import can
from compliance.core.errors import PermissionDenied
from compliance.notifications.models import Notification


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


def may_read(user, note: Notification) -> bool:
    """Whether the user may read (open, mark read) this notification: their own only."""
    return _signed_in(user) and note is not None and note.user_id == user.id


def visible_notifications(user, stmt: Select) -> Select:
    """Limit a query (or an UPDATE) of notifications to the user's own."""
    if not _signed_in(user):
        return stmt.where(false())
    return stmt.where(Notification.user_id == user.id)


def may_see_scheduler(user) -> bool:
    """Whether the user may open the scheduler page and its outbox."""
    return can(user, "scheduler.read")


def may_retry_email(user) -> bool:
    """Whether the user may send a failed (or waiting) email again."""
    return can(user, "scheduler.manage")


def may_choose_email_mode(user) -> bool:
    """Whether the user may choose how they hear about notifications (anyone signed in)."""
    return _signed_in(user)


def allowed_actions(user, note: Notification) -> frozenset[str]:
    """What the user may do to this notification ("open", "mark_read")."""
    if not may_read(user, note):
        return frozenset()
    return frozenset({"open"} | ({"mark_read"} if note.read_at is None else set()))


def scheduler_actions(user) -> frozenset[str]:
    """What the user may do on the scheduler page ("read", "retry")."""
    return frozenset(name for name, allowed in (("read", may_see_scheduler(user)),
                                                ("retry", may_retry_email(user))) if allowed)


def ensure(allowed: bool) -> None:
    """Raise PermissionDenied unless allowed."""
    if not allowed:
        raise PermissionDenied(gettext("You do not have permission to do this."))
