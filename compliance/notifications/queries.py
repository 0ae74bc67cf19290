"""Reads: a person's notifications and the bell's count; the scheduler page's jobs and outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from flask_babel import gettext
from sqlalchemy import func, select

from compliance.core.extensions import db
from compliance.core.job_results import phrase
from compliance.core.jobs import JobRun, SchedulerStatus, jobs_of, trigger_arguments
from compliance.notifications import rules
from compliance.notifications.models import Notification, OutboundEmail


def for_user(user, *, unread_only: bool = False, limit: int = 50,
             before_id: int | None = None) -> list[Notification]:
    """A person's notifications, newest first."""
    query = rules.visible_notifications(user, select(Notification))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if before_id:
        query = query.where(Notification.id < before_id)
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def unread_count(user) -> int:
    """How many of a person's notifications are unread (the bell's number)."""
    query = rules.visible_notifications(
        user, select(func.count()).select_from(Notification)).where(
        Notification.read_at.is_(None))
    return db.session.scalar(query) or 0


@dataclass
class JobRow:
    """One job as the scheduler page shows it."""

    id: str
    title: str
    schedule: str
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_ok: bool | None
    last_result: str  # phrased in the reader's language
    next_run_at: datetime | None
    runs: int


def _schedule(job, config) -> str:
    arguments = trigger_arguments(config, job)
    if job.trigger == "interval":
        return gettext("every %(count)s min", count=arguments.get("minutes", 1))
    return gettext("daily at %(time)s", time=f"{int(arguments.get('hour', 0)):02d}:"
                                           f"{int(arguments.get('minute', 0)):02d}")


def job_rows(app: Flask) -> list[JobRow]:
    """Every job of the app's table, with what its last run recorded (in the active
    language)."""
    runs = {r.job_id: r for r in db.session.scalars(select(JobRun))}
    rows = []
    for job in jobs_of(app):
        run = runs.get(job.id)
        result = phrase(app, run.last_result) if run else ""
        rows.append(JobRow(job.id, str(job.title), _schedule(job, app.config),
                           run and run.last_started_at, run and run.last_finished_at,
                           run.last_ok if run else None, result,
                           run and run.next_run_at, run.runs if run else 0))
    return rows


def scheduler_state() -> SchedulerStatus | None:
    """Who holds the scheduler lock and when it last reported."""
    return db.session.get(SchedulerStatus, 1)


def outbox_counts() -> dict[str, int]:
    """How many emails are waiting, sent and failed."""
    return dict(db.session.execute(
        select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status)).all())


def outbox(status: str | None, limit: int = 100) -> list[OutboundEmail]:
    """The newest emails, optionally of one status."""
    query = select(OutboundEmail)
    if status:
        query = query.where(OutboundEmail.status == status)
    return list(db.session.scalars(query.order_by(OutboundEmail.id.desc()).limit(limit)))
