"""The jobs, as data, and the one scheduler that runs them (behind a lock).

Exactly one scheduler runs per installation: `compliance serve` starts it in-process for a
single machine, production runs `compliance scheduler` as its own process. A second one
waits on the lock (a PostgreSQL advisory lock, or a file lock beside an SQLite database)
instead of running. Every job is safe to run twice, so a restart or a race costs nothing.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l

from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db

log = logging.getLogger(__name__)
SCHEDULER_LOCK_KEY = 0x150_9002


@dataclass(frozen=True)
class Job:
    """One scheduled job: what it runs and when (APScheduler trigger and its arguments)."""

    id: str
    function: str
    trigger: str
    arguments: dict = field(default_factory=dict)
    title: object = ""
    # Daily jobs also run when the scheduler starts, so a machine switched on after the
    # hour still sends the day's alerts (they are idempotent, so nothing is sent twice).
    on_start: bool = False
    # The configuration key that holds the hour of a daily job, if it has one.
    hour_setting: str | None = None


JOBS: list[Job] = [
    Job("outbox", "compliance.notifications.jobs:deliver_outbox", "interval", {"minutes": 1},
        _l("Send waiting emails")),
    Job("documents.activate", "compliance.notifications.jobs:activate_documents", "cron",
        {"hour": 0, "minute": 5}, _l("Bring approved revisions into force"), on_start=True),
    Job("alerts.reviews", "compliance.notifications.alerts:review_alerts", "cron",
        {"minute": 0}, _l("Document reviews due and overdue"), True, "ALERT_HOUR"),
    Job("alerts.acknowledgements", "compliance.notifications.alerts:acknowledgement_alerts",
        "cron", {"minute": 5}, _l("Readings not acknowledged"), True, "ALERT_HOUR"),
    Job("alerts.corrective_actions",
        "compliance.notifications.alerts_work:corrective_action_alerts", "cron", {"minute": 10},
        _l("Corrective-action items and effectiveness checks"), True, "ALERT_HOUR"),
    Job("alerts.audits", "compliance.notifications.alerts_work:audit_alerts", "cron",
        {"minute": 15}, _l("Audits starting and reports late"), True, "ALERT_HOUR"),
    Job("alerts.certificates", "compliance.notifications.alerts:certificate_alerts", "cron",
        {"minute": 20}, _l("ISO certificates expiring"), True, "ALERT_HOUR"),
    Job("digest", "compliance.notifications.jobs:send_digests", "cron", {"minute": 0},
        _l("Daily digest emails"), False, "DIGEST_HOUR"),
    Job("housekeeping", "compliance.notifications.jobs:housekeeping", "cron",
        {"hour": 3, "minute": 30}, _l("Remove old session records")),
]


def job(job_id: str) -> Job:
    """The job with this id."""
    for candidate in JOBS:
        if candidate.id == job_id:
            return candidate
    raise KeyError(job_id)


def _function(job: Job):
    module, _sep, name = job.function.partition(":")
    return getattr(importlib.import_module(module), name)


def trigger_arguments(config, job: Job) -> dict:
    """The trigger's arguments, with the hour from configuration where the job takes one."""
    arguments = dict(job.arguments)
    if job.hour_setting:
        arguments["hour"] = int(config[job.hour_setting])
    if job.trigger == "cron":
        arguments["timezone"] = config["ORG_TIMEZONE"]
    return arguments


def run_job(app: Flask, job: Job, now: datetime | None = None) -> tuple[bool, str]:
    """Run one job in its own transaction and record the outcome on the scheduler page."""
    from compliance.core import clock
    from compliance.notifications.models import JobRun

    now = now or utcnow()
    with app.app_context(), app.test_request_context("/", base_url=app.config["BASE_URL"]):
        started = utcnow()
        try:
            with write_intent():
                result = _function(job)(today=clock.local_date(now), now=now)
                db.session.commit()
            ok = True
        except Exception as error:  # the scheduler must outlive any one job's failure
            db.session.rollback()
            log.exception("job %s failed", job.id)
            ok, result = False, f"{type(error).__name__}: {error}"[:2000]
        with write_intent():
            run = db.session.get(JobRun, job.id) or JobRun(job_id=job.id, runs=0)
            run.last_started_at, run.last_finished_at = started, utcnow()
            run.last_ok, run.last_result, run.runs = ok, result, (run.runs or 0) + 1
            db.session.add(run)
            db.session.commit()
        return ok, result


def run_all(app: Flask, now: datetime | None = None) -> list[tuple[str, bool, str]]:
    """Run every job once (the `--once` mode and tests); the outbox last."""
    # The outbox goes last so that a single run also sends what the alert jobs and the
    # digest just queued.
    ordered = [j for j in JOBS if j.id != "outbox"] + [j for j in JOBS if j.id == "outbox"]
    return [(j.id, *run_job(app, j, now)) for j in ordered]


def holder_name() -> str:
    """How this process names itself on the scheduler page."""
    return f"{socket.gethostname()} pid {os.getpid()}"


class SchedulerLock:
    """Held by the one running scheduler: a PostgreSQL advisory lock or a file lock."""

    def __init__(self, app: Flask):
        self.app = app
        self._connection = None
        self._file_lock = None

    def _is_postgresql(self) -> bool:
        with self.app.app_context():
            return db.engine.dialect.name == "postgresql"

    def _lock_path(self) -> str:
        # Beside the database file, so that two processes with different instance folders
        # but the same database still exclude each other.
        with self.app.app_context():
            database = db.engine.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            return os.path.abspath(database) + ".scheduler-lock"
        os.makedirs(self.app.instance_path, exist_ok=True)
        return os.path.join(self.app.instance_path, "scheduler.lock")

    def try_acquire(self) -> bool:
        """Take the lock if it is free; never waits."""
        if self._is_postgresql():
            from sqlalchemy import text

            with self.app.app_context():
                # A connection of its own, kept for the process's life: the advisory lock
                # belongs to the session and ends with it (also when the process dies).
                connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                  {"key": SCHEDULER_LOCK_KEY}).scalar():
                self._connection = connection
                return True
            connection.close()
            return False
        from filelock import FileLock, Timeout

        lock = FileLock(self._lock_path())
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return False
        self._file_lock = lock
        return True

    def acquire(self, poll_seconds: float = 5.0, stop: threading.Event | None = None,
                on_wait=None) -> bool:
        """Wait until the lock is ours (or stop is set); on_wait is told once that we wait."""
        told = False
        while not (stop and stop.is_set()):
            if self.try_acquire():
                return True
            if on_wait and not told:
                on_wait()
                told = True
            if stop:
                stop.wait(poll_seconds)
            else:
                time.sleep(poll_seconds)
        return False

    def release(self) -> None:
        """Let another scheduler take over."""
        if self._connection is not None:
            from sqlalchemy import text

            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                     {"key": SCHEDULER_LOCK_KEY})
            self._connection.close()
            self._connection = None
        if self._file_lock is not None:
            self._file_lock.release()
            self._file_lock = None


def record_status(app: Flask, started_at: datetime, scheduler=None) -> None:
    """Heartbeat: who holds the lock, and each job's next run, for the scheduler page."""
    from compliance.notifications.models import JobRun, SchedulerStatus

    with app.app_context(), write_intent():
        status = db.session.get(SchedulerStatus, 1) or SchedulerStatus(id=1)
        status.holder, status.started_at, status.heartbeat_at = \
            holder_name(), started_at, utcnow()
        db.session.add(status)
        ours = {entry.id for entry in JOBS}
        for scheduled in (scheduler.get_jobs() if scheduler else []):
            if scheduled.id not in ours:
                continue
            run = db.session.get(JobRun, scheduled.id) or JobRun(job_id=scheduled.id, runs=0)
            run.next_run_at = scheduled.next_run_time
            db.session.add(run)
        db.session.commit()


def build(app: Flask, scheduler_class=None):
    """An APScheduler 3 scheduler with every job; one worker thread, so jobs never overlap."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler_class = scheduler_class or BackgroundScheduler
    scheduler = scheduler_class(
        executors={"default": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone=app.config["ORG_TIMEZONE"])
    for entry in JOBS:
        scheduler.add_job(run_job, entry.trigger, args=[app, entry], id=entry.id,
                          name=str(entry.id), **trigger_arguments(app.config, entry))
    started_at = utcnow()
    scheduler.add_job(record_status, "interval", minutes=1, args=[app, started_at, scheduler],
                      id="heartbeat", name="heartbeat")
    return scheduler, started_at


def start_in_background(app: Flask, stop: threading.Event) -> threading.Thread:
    """For `compliance serve`: wait for the lock in a thread, then run the scheduler there."""

    def _run() -> None:
        lock = SchedulerLock(app)
        if not lock.acquire(stop=stop, on_wait=lambda: log.warning(
                "another scheduler holds the lock; this one waits")):
            return
        scheduler, started_at = build(app)
        scheduler.start()
        record_status(app, started_at, scheduler)
        for entry in JOBS:
            if entry.on_start:
                scheduler.add_job(run_job, args=[app, entry], id=f"{entry.id}.start",
                                  name=f"{entry.id} (at start)")
        stop.wait()
        # Wait for a running job to end before letting another scheduler take over.
        scheduler.shutdown(wait=True)
        lock.release()

    thread = threading.Thread(target=_run, name="compliance-scheduler", daemon=True)
    thread.start()
    return thread
