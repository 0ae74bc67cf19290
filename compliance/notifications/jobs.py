"""The scheduler's job functions that are not alert sweeps: outbox, digest, housekeeping.

Each takes today (organisation calendar) and now (UTC) and returns a one-line result. The
scheduler's wrapper commits; the outbox job also commits itself around each message, so no
transaction (nor the write lock) is held while an SMTP server is being talked to.
"""

from __future__ import annotations

import smtplib
from contextlib import suppress
from datetime import date, datetime
from itertools import groupby

from sqlalchemy import select

from compliance.auth import sessions
from compliance.auth.models import User
from compliance.core.extensions import db
from compliance.documents.services.approval import activate_due
from compliance.notifications import outbox
from compliance.notifications.models import Notification

# A refusal that concerns one message; anything else means the connection is gone.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                   smtplib.SMTPSenderRefused, smtplib.SMTPNotSupportedError)


def activate_documents(today: date, now: datetime) -> str:
    """Bring approved revisions into force on their effective date."""
    return f"{activate_due(today)} revision(s) came into force"


def deliver_outbox(today: date, now: datetime) -> str:
    """Send the waiting emails whose time has come; failures wait and back off."""
    if not outbox.email_enabled():
        return "email is off (COMPLIANCE_SMTP_HOST is not set)"
    emails = outbox.due(now)
    letters = [outbox.letter(email) for email in emails]
    # Claimed for a while: should a second outbox run ever overlap this one (the scheduler
    # lock prevents it, a stray process might not), it skips these instead of sending them
    # again; after a crash mid-send they are tried again once the claim runs out.
    for email in emails:
        email.next_attempt_at = now + outbox.CLAIM
    db.session.commit()
    if not letters:
        return "nothing to send"
    try:
        server = outbox.connect()
    except (OSError, smtplib.SMTPException) as error:
        for item in letters:
            outbox.mark_failed_attempt(item.id, now, _describe(error))
        db.session.commit()
        return f"SMTP server unreachable ({_describe(error)}); {len(letters)} email(s) wait"
    sent = failed = 0
    try:
        for item in letters:
            try:
                outbox.send(server, item)
            except _MESSAGE_ERRORS as error:
                outbox.mark_failed_attempt(item.id, now, _describe(error))
                failed += 1
            except (OSError, smtplib.SMTPException) as error:
                outbox.mark_failed_attempt(item.id, now, _describe(error))
                failed += 1
                db.session.commit()
                break
            else:
                outbox.mark_sent(item.id, now)
                sent += 1
            db.session.commit()
    finally:
        with suppress(OSError, smtplib.SMTPException):
            server.quit()
    return f"{sent} sent, {failed} failed, {len(letters) - sent - failed} left for later"


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def send_digests(today: date, now: datetime) -> str:
    """One email per person who chose the digest, listing what was raised since the last."""
    if not outbox.email_enabled():
        return "email is off (COMPLIANCE_SMTP_HOST is not set)"
    notes = db.session.scalars(
        select(Notification).where(Notification.email_state == "digest")
        .order_by(Notification.user_id, Notification.id)).all()
    users = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({n.user_id for n in notes})))}
    queued = 0
    for user_id, group in groupby(notes, key=lambda n: n.user_id):
        group = list(group)
        user = users[user_id]
        if not user.active:
            continue
        # None means today's digest already left: these wait for tomorrow's.
        if outbox.queue_digest(user, group, today, now) is not None:
            for note in group:
                note.email_state = "digested"
            queued += 1
    return f"{queued} digest(s) queued"


def housekeeping(today: date, now: datetime) -> str:
    """Forget session records that ended long ago."""
    return f"{sessions.prune(now)} old session record(s) removed"
