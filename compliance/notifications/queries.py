"""Reads for the scheduler page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from compliance.core.extensions import db
from compliance.notifications.models import JobRun, OutboundEmail, SchedulerStatus


@dataclass
class JobRow:
    """One job as the scheduler page shows it."""

    id: str
    title: str
    schedule: str
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_ok: bool | None
    last_result: str
    next_run_at: datetime | None
    runs: int


def _schedule(job, config) -> str:
    from flask_babel import gettext

    from compliance.scheduler import trigger_arguments

    arguments = trigger_arguments(config, job)
    if job.trigger == "interval":
        return gettext("every %(count)s min", count=arguments.get("minutes", 1))
    return gettext("daily at %(time)s", time=f"{int(arguments.get('hour', 0)):02d}:"
                                           f"{int(arguments.get('minute', 0)):02d}")


def job_rows() -> list[JobRow]:
    """Every job of the list, with what its last run recorded."""
    from flask import current_app

    from compliance.scheduler import JOBS

    runs = {r.job_id: r for r in db.session.scalars(select(JobRun))}
    rows = []
    for job in JOBS:
        run = runs.get(job.id)
        rows.append(JobRow(job.id, str(job.title), _schedule(job, current_app.config),
                           run and run.last_started_at, run and run.last_finished_at,
                           run.last_ok if run else None, run.last_result if run else "",
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
