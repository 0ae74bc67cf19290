"""The job table, the job runner, the one scheduler and its lock.

The table is assembled at start-up: each domain's `jobs.py` describes its jobs as `Job`
records and its `web.register(app)` adds them with `add(app, ...)`; core knows no domain.
`compliance scheduler`, `--once`, `compliance serve` and the scheduler page all read the same
table, `jobs_of(app)`.

Exactly one scheduler runs per installation: `compliance serve` starts it in-process for a
single machine, production runs `compliance scheduler` as its own process. A second one
waits on the lock (a PostgreSQL advisory lock, or a file lock beside an SQLite database)
instead of running. Every job is safe to run twice, so a restart or a race costs nothing.

Commits: `run_job` is a unit of work per job (the job's work, then a second one recording
its outcome, so a failed job still leaves its failure on the page). Only this runner and the
outbox (which commits around each message) commit outside a request.

Organisations (issue 14): a job runs once per organisation, each run its own unit of work
inside `tenancy.acting_for(organisation)` (so it reads and raises only that organisation's
rows) with "today" in the organisation's time zone (`clock.in_zone`). One organisation's
failure does not stop the others'. Jobs of the installation itself (the outbox,
housekeeping) say `per_organisation=False`. The cron triggers keep the installation's zone.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from filelock import FileLock, Timeout
from flask import Flask
from sqlalchemy import String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from compliance.core import clock, tenancy
from compliance.core.extensions import db
from compliance.core.job_results import PER_ORGANISATION, JobResult, failed
from compliance.core.uow import unit_of_work

log = logging.getLogger(__name__)
SCHEDULER_LOCK_KEY = 0x150_9002
_EXTENSION = "compliance_jobs"


@dataclass(frozen=True)
class Job:
    """One scheduled job: what it runs and when (APScheduler trigger and its arguments).

    `function(today=, now=)` does one unit of work and returns a `JobResult` (what it did,
    phrased when the scheduler page or the CLI shows it; see core.job_results).
    """

    id: str
    function: Callable[..., JobResult]
    trigger: str
    arguments: dict = field(default_factory=dict)
    title: object = ""
    # Daily jobs also run when the scheduler starts, so a machine switched on after the
    # hour still sends the day's alerts (they are idempotent, so nothing is sent twice).
    on_start: bool = False
    # The configuration key that holds the hour of a daily job, if it has one.
    hour_setting: str | None = None
    # Run after the others when every job runs once (`--once`): the outbox, so that one run
    # also sends what the other jobs just queued.
    last: bool = False
    # Run once per organisation (acting for it, in its time zone), or once for all.
    per_organisation: bool = True


class JobRun(db.Model):
    """The last run of one scheduled job, as the scheduler page shows it."""

    __tablename__ = "job_run"

    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_ok: Mapped[bool | None]
    # A JobResult as JSON (JobResult.dump); plain text in rows older than that.
    last_result: Mapped[str] = mapped_column(Text, default="")
    next_run_at: Mapped[datetime | None]
    runs: Mapped[int] = mapped_column(default=0)


class SchedulerStatus(db.Model):
    """Which process holds the scheduler lock, and when it last said so."""

    __tablename__ = "scheduler_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]


# --- the table -------------------------------------------------------------------------------

def add(app: Flask, *jobs: Job) -> None:
    """Add a domain's jobs to the app's table (from the domain's `web.register(app)`)."""
    table: dict[str, Job] = app.extensions.setdefault(_EXTENSION, {})
    for entry in jobs:
        if entry.id in table and table[entry.id] != entry:
            raise ValueError(f"two jobs named {entry.id!r}")
        table[entry.id] = entry


def jobs_of(app: Flask) -> list[Job]:
    """Every job of the app, in the order the domains added them."""
    return list(app.extensions.get(_EXTENSION, {}).values())


def job(app: Flask, job_id: str) -> Job:
    """The job with this id."""
    return app.extensions.get(_EXTENSION, {})[job_id]


def trigger_arguments(config, job: Job) -> dict:
    """The trigger's arguments, with the hour from configuration where the job takes one."""
    arguments = dict(job.arguments)
    if job.hour_setting:
        arguments["hour"] = int(config[job.hour_setting])
    if job.trigger == "cron":
        arguments["timezone"] = config["ORG_TIMEZONE"]
    return arguments


# --- the runner ------------------------------------------------------------------------------

def _organisations() -> list[tuple[int, str, str]]:
    """(id, code, time zone) of every organisation; core names the table, not its model."""
    return [tuple(row) for row in db.session.execute(
        text("SELECT id, code, time_zone FROM organisation ORDER BY id"))]


def _run_once(job: Job, now: datetime) -> tuple[bool, JobResult]:
    """One run of a job's function as one unit of work, in the acting zone."""
    try:
        with unit_of_work():
            result = job.function(today=clock.local_date(now), now=now)
            if not isinstance(result, JobResult):
                raise TypeError(f"job {job.id} returned {type(result).__name__}, "
                                "not a JobResult")
        return True, result
    except Exception as error:  # the scheduler must outlive any one job's failure
        log.exception("job %s failed", job.id)
        return False, failed(error)


def _run_per_organisation(job: Job, now: datetime) -> tuple[bool, JobResult]:
    with unit_of_work(write=False):
        targets = _organisations()
    outcomes = []
    for organisation_id, code, time_zone in targets:
        with tenancy.acting_for(organisation_id), clock.in_zone(time_zone):
            outcomes.append((code, *_run_once(job, now)))
    if len(outcomes) == 1:
        return outcomes[0][1], outcomes[0][2]
    return all(ok for _code, ok, _result in outcomes), JobResult(PER_ORGANISATION, {
        "parts": [{"organisation": code, "code": result.code, "params": result.params}
                  for code, _ok, result in outcomes]})


def run_job(app: Flask, job: Job, now: datetime | None = None) -> tuple[bool, JobResult]:
    """Run one job (once per organisation, or once for the installation) and record the
    outcome on the scheduler page."""
    now = now or clock.utcnow()
    with app.app_context(), app.test_request_context("/", base_url=app.config["BASE_URL"]):
        started = clock.utcnow()
        ok, result = (_run_per_organisation(job, now) if job.per_organisation
                      else _run_once(job, now))
        with unit_of_work():
            run = db.session.get(JobRun, job.id) or JobRun(job_id=job.id, runs=0)
            run.last_started_at, run.last_finished_at = started, clock.utcnow()
            run.last_ok, run.last_result, run.runs = ok, result.dump(), (run.runs or 0) + 1
            db.session.add(run)
        return ok, result


def run_all(app: Flask, now: datetime | None = None) -> list[tuple[str, bool, JobResult]]:
    """Run every job once (the `--once` mode and tests); the ones marked `last` at the end."""
    table = jobs_of(app)
    ordered = [j for j in table if not j.last] + [j for j in table if j.last]
    return [(j.id, *run_job(app, j, now)) for j in ordered]


# --- the lock --------------------------------------------------------------------------------

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
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                     {"key": SCHEDULER_LOCK_KEY})
            self._connection.close()
            self._connection = None
        if self._file_lock is not None:
            self._file_lock.release()
            self._file_lock = None


# --- the scheduler ---------------------------------------------------------------------------

def record_status(app: Flask, started_at: datetime, scheduler=None) -> None:
    """Heartbeat: who holds the lock, and each job's next run, for the scheduler page."""
    with app.app_context(), unit_of_work():
        status = db.session.get(SchedulerStatus, 1) or SchedulerStatus(id=1)
        status.holder, status.started_at, status.heartbeat_at = \
            holder_name(), started_at, clock.utcnow()
        db.session.add(status)
        ours = {entry.id for entry in jobs_of(app)}
        for scheduled in (scheduler.get_jobs() if scheduler else []):
            if scheduled.id not in ours:
                continue
            run = db.session.get(JobRun, scheduled.id) or JobRun(job_id=scheduled.id, runs=0)
            run.next_run_at = scheduled.next_run_time
            db.session.add(run)


def build(app: Flask, scheduler_class=None):
    """An APScheduler 3 scheduler with every job; one worker thread, so jobs never overlap."""
    scheduler_class = scheduler_class or BackgroundScheduler
    scheduler = scheduler_class(
        executors={"default": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone=app.config["ORG_TIMEZONE"])
    for entry in jobs_of(app):
        scheduler.add_job(run_job, entry.trigger, args=[app, entry], id=entry.id,
                          name=str(entry.id), **trigger_arguments(app.config, entry))
    started_at = clock.utcnow()
    scheduler.add_job(record_status, "interval", minutes=1, args=[app, started_at, scheduler],
                      id="heartbeat", name="heartbeat")
    return scheduler, started_at


def start_in_background(app: Flask, stop: threading.Event) -> threading.Thread:
    """For `compliance serve`: wait for the lock in a thread, then run the scheduler there."""

    def _run() -> None:
        lock = SchedulerLock(app)
        waiting = lambda: log.warning("another scheduler holds the lock; this one waits")  # noqa: E731
        if not lock.acquire(poll_seconds=app.config["SCHEDULER_LOCK_POLL_SECONDS"], stop=stop,
                            on_wait=waiting):
            return
        scheduler, started_at = build(app)
        scheduler.start()
        record_status(app, started_at, scheduler)
        for entry in jobs_of(app):
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
