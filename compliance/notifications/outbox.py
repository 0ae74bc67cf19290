"""The email outbox: messages are written in the recipient's language, then leave by SMTP.

Commits: `deliver` is the one place outside core that commits, by design. It commits the
claim on the due messages, then after each message its outcome, so that no transaction (nor
the SQLite write lock) stays open while an SMTP server is being talked to, and a crash in the
middle loses the record of no message already handed over. It runs inside the job runner's
unit of work (core.jobs.run_job), which commits what is left at the end.
"""

from __future__ import annotations

import smtplib
import ssl
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core import uow
from compliance.core.db import insert_ignoring_duplicates, utcnow
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.core.job_results import JobResult
from compliance.notifications import mail, rules
from compliance.notifications.kinds import render
from compliance.notifications.models import Notification, OutboundEmail
from compliance.org.naming import organisation_name

MAX_BACKOFF = timedelta(hours=6)
CLAIM = timedelta(minutes=10)
# A refusal that concerns one message; anything else means the connection is gone.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                   smtplib.SMTPSenderRefused, smtplib.SMTPNotSupportedError)


def email_enabled() -> bool:
    """Whether an SMTP server is configured."""
    return bool(current_app.config.get("SMTP_HOST"))


def _link(path: str) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    if not path.startswith("/"):
        return path
    # Paths built under the base URL already carry its prefix (/qms/documents/1): once only.
    prefix = urlsplit(base).path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix):]
    return base + path


def _queue(user, key: str, subject: str, text: str, html: str,
           now: datetime | None) -> OutboundEmail | None:
    # The job's clock, not the wall clock: the outbox run at that same time must see it due.
    now = now or utcnow()
    ids = insert_ignoring_duplicates(db.session, OutboundEmail, [{
        "dedupe_key": key, "user_id": user.id, "to_address": user.email,
        "locale": user.locale, "subject": subject[:300], "text_body": text, "html_body": html,
        "status": "waiting", "attempts": 0, "next_attempt_at": now,
        "created_at": now}], ["dedupe_key"])
    return db.session.get(OutboundEmail, ids[0]) if ids else None


def queue_notification(user, note: Notification,
                       now: datetime | None = None) -> OutboundEmail | None:
    """One email for one notification, in the recipient's language."""
    with force_locale(user.locale):
        sentence = render(note.kind, note.params, user.locale)
        context = {"user": user, "sentence": sentence, "link": _link(note.link),
                   "org_name": _org_name(user)}
        subject = f"[{context['org_name']}] {sentence}"
        text = render_template("email/notification.txt", **context)
        html = render_template("email/notification.html", **context)
    return _queue(user, f"notification:{note.id}", _one_line(subject), text, html, now)


def queue_digest(user, notes: list[Notification], day,
                 now: datetime | None = None) -> OutboundEmail | None:
    """The day's one email listing a person's notifications; None if today's already left."""
    with force_locale(user.locale):
        items = [{"sentence": render(n.kind, n.params, user.locale), "link": _link(n.link)}
                 for n in notes]
        org = _org_name(user)
        subject = ngettext("[%(org)s] Your daily summary: %(num)d item",
                           "[%(org)s] Your daily summary: %(num)d items", len(items), org=org)
        context = {"user": user, "items": items, "org_name": org, "day": day,
                   "home": _link("/")}
        text = render_template("email/digest.txt", **context)
        html = render_template("email/digest.html", **context)
    return _queue(user, f"digest:{user.id}:{day.isoformat()}", subject, text, html, now)


def _org_name(user) -> str:
    # The recipient's organisation, whichever organisation the queuing work acts for.
    return organisation_name(user.locale, user.organisation_id)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4 … minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def due(now: datetime, limit: int = 200) -> list[OutboundEmail]:
    """Waiting emails whose next attempt has come."""
    return list(db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.status == "waiting",
                                    OutboundEmail.next_attempt_at <= now)
        .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id).limit(limit)))


def mark_sent(email_id: int, now: datetime) -> None:
    """Record that the SMTP server accepted the message."""
    email = db.session.get(OutboundEmail, email_id)
    email.status, email.sent_at, email.last_error = "sent", now, None
    email.attempts += 1


def mark_failed_attempt(email_id: int, now: datetime, error: str) -> None:
    """Record a failed try; after the last allowed one the email is marked failed."""
    email = db.session.get(OutboundEmail, email_id)
    email.attempts += 1
    email.last_error = error[:2000]
    if email.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
        email.status = "failed"
    else:
        email.next_attempt_at = now + backoff(email.attempts)


def retry(actor, email_id: int) -> OutboundEmail:
    """Send a failed (or waiting) email again at the next outbox run."""
    rules.ensure(rules.may_retry_email(actor))
    email = db.session.get(OutboundEmail, email_id)
    if email is None:
        raise NotFound(gettext("No such email."))
    if email.status == "sent":
        raise DomainError(gettext("This email was already sent."))
    before = {"status": email.status, "attempts": email.attempts}
    email.status, email.attempts, email.next_attempt_at = "waiting", 0, utcnow()
    db.session.flush()
    record(actor, "email.retry", "outbound_email", email.id, before=before,
           after={"status": email.status, "attempts": 0})
    return email


@dataclass(frozen=True)
class Letter:
    """What leaves: copied out of the row so no transaction stays open during SMTP."""

    id: int
    to: str
    subject: str
    text: str
    html: str
    key: str


def letter(email: OutboundEmail) -> Letter:
    """A detached copy of an outbox row."""
    return Letter(email.id, email.to_address, email.subject, email.text_body,
                  email.html_body, email.dedupe_key)


def connect() -> smtplib.SMTP:
    """An SMTP connection as configured (plain, STARTTLS or TLS; login when a user is set)."""
    config = current_app.config
    host, port = config["SMTP_HOST"], int(config["SMTP_PORT"])
    timeout = int(config["SMTP_TIMEOUT"])
    security = config["SMTP_SECURITY"]
    if security == "tls":
        server = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                  context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
        if security == "starttls":
            server.starttls(context=ssl.create_default_context())
    if config["SMTP_USER"]:
        server.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
    return server


def send(server: smtplib.SMTP, item: Letter) -> None:
    """Hand one message to the server."""
    server.send_message(mail.message(sender=current_app.config["MAIL_FROM"], to=item.to,
                                     subject=item.subject, text=item.text, html=item.html,
                                     key=item.key))


def deliver(now: datetime) -> JobResult:
    """Send the waiting emails whose time has come; failures wait and back off."""
    emails = due(now)
    letters = [letter(email) for email in emails]
    # Claimed for a while: should a second outbox run ever overlap this one (the scheduler
    # lock prevents it, a stray process might not), it skips these instead of sending them
    # again; after a crash mid-send they are tried again once the claim runs out.
    for email in emails:
        email.next_attempt_at = now + CLAIM
    uow.commit()  # the claim is durable before any message leaves
    if not letters:
        return JobResult("outbox.nothing_due")
    try:
        server = connect()
    except (OSError, smtplib.SMTPException) as error:
        for item in letters:
            mark_failed_attempt(item.id, now, _describe(error))
        uow.commit()
        return JobResult("outbox.unreachable", {"error": _describe(error), "count": len(letters)})
    sent = failed = 0
    try:
        for item in letters:
            try:
                send(server, item)
            except _MESSAGE_ERRORS as error:
                mark_failed_attempt(item.id, now, _describe(error))
                failed += 1
            except (OSError, smtplib.SMTPException) as error:
                mark_failed_attempt(item.id, now, _describe(error))
                failed += 1
                uow.commit()
                break
            else:
                mark_sent(item.id, now)
                sent += 1
            uow.commit()  # per message: what the server accepted is never sent twice
    finally:
        with suppress(OSError, smtplib.SMTPException):
            server.quit()
    return JobResult("outbox.delivered", {"sent": sent, "failed": failed,
                                          "left": len(letters) - sent - failed})


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]
