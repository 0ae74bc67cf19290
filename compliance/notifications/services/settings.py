"""Each person's choice of how they hear about notifications."""

from __future__ import annotations

from flask_babel import gettext as _gettext

from compliance.audit_trail.services import record
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.notifications import rules
from compliance.notifications.labels import EMAIL_MODES


def set_email_mode(actor, mode: str) -> None:
    """Choose immediate email, a daily digest or in-app only."""
    rules.ensure(rules.may_choose_email_mode(actor))
    if mode not in EMAIL_MODES:
        raise DomainError(_unknown_mode(), field="email_mode")
    before = actor.email_mode
    if before == mode:
        return
    actor.email_mode = mode
    db.session.flush()
    record(actor, "user.email_mode", "user", actor.id, before={"email_mode": before},
           after={"email_mode": mode})


def _unknown_mode() -> str:
    return _gettext("Choose one of the offered email settings.")
