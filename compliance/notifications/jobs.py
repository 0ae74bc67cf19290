"""This domain's scheduled jobs: the alert sweeps, the outbox, the digest, housekeeping.

Each function takes today (organisation calendar) and now (UTC) and returns a JobResult
(phrased in labels.py); the job runner (core.jobs.run_job) gives each its unit of work. The
outbox also commits around each message (see outbox.deliver), so no transaction, nor the
write lock, is held while an SMTP server is being talked to.
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import groupby

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from compliance.auth import sessions
from compliance.auth.models import User
from compliance.core import jobs as core_jobs
from compliance.core.extensions import db
from compliance.core.job_results import JobResult, add_phrasings
from compliance.core.jobs import Job
from compliance.notifications import alerts, alerts_capa, alerts_work, outbox
from compliance.notifications.labels import JOB_RESULTS
from compliance.notifications.models import Notification

_EMAIL_OFF = JobResult("outbox.email_off")


def deliver_outbox(today: date, now: datetime) -> JobResult:
    """Send the waiting emails whose time has come; failures wait and back off."""
    if not outbox.email_enabled():
        return _EMAIL_OFF
    return outbox.deliver(now)


def send_digests(today: date, now: datetime) -> JobResult:
    """One email per person who chose the digest, listing what was raised since the last."""
    if not outbox.email_enabled():
        return _EMAIL_OFF
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
    return JobResult("digest.queued", {"count": queued})


def housekeeping(today: date, now: datetime) -> JobResult:
    """Forget session records that ended long ago."""
    return JobResult("housekeeping.sessions_removed", {"count": sessions.prune(now)})


JOBS = (
    # The outbox and housekeeping are the installation's: its queue, its sessions.
    Job("outbox", deliver_outbox, "interval", {"minutes": 1}, _l("Send waiting emails"),
        last=True, per_organisation=False),
    Job("alerts.reviews", alerts.review_alerts, "cron", {"minute": 0},
        _l("Document reviews due and overdue"), True, "ALERT_HOUR"),
    Job("alerts.acknowledgements", alerts.acknowledgement_alerts, "cron", {"minute": 5},
        _l("Readings not acknowledged"), True, "ALERT_HOUR"),
    Job("alerts.corrective_actions", alerts_work.corrective_action_alerts, "cron",
        {"minute": 10}, _l("Corrective-action items and effectiveness checks"), True,
        "ALERT_HOUR"),
    Job("alerts.corrective_action_targets", alerts_capa.target_alerts, "cron", {"minute": 12},
        _l("Corrective actions without an action plan by their target date"), True,
        "ALERT_HOUR"),
    Job("alerts.audits", alerts_work.audit_alerts, "cron", {"minute": 15},
        _l("Audits starting and reports late"), True, "ALERT_HOUR"),
    Job("alerts.findings", alerts_work.finding_alerts, "cron", {"minute": 25},
        _l("Audit findings not answered by their due date"), True, "ALERT_HOUR"),
    Job("alerts.certificates", alerts.certificate_alerts, "cron", {"minute": 20},
        _l("ISO certificates expiring"), True, "ALERT_HOUR"),
    Job("alerts.external_documents", alerts.external_check_alerts, "cron", {"minute": 22},
        _l("External documents due for a check"), True, "ALERT_HOUR"),
    Job("digest", send_digests, "cron", {"minute": 0}, _l("Daily digest emails"), False,
        "DIGEST_HOUR"),
    Job("housekeeping", housekeeping, "cron", {"hour": 3, "minute": 30},
        _l("Remove old session records"), per_organisation=False),
)


def register(app: Flask) -> None:
    """Add this domain's jobs to the app's job table, and say how their results read."""
    core_jobs.add(app, *JOBS)
    add_phrasings(app, JOB_RESULTS)
