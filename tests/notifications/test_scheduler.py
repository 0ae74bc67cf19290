"""Idempotence: every job twice, two real scheduler processes at once, and the lock itself."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from compliance import create_app
from compliance.audits.models import Audit
from compliance.capa.models import EffectivenessCheck
from compliance.core import clock
from compliance.core.db import utcnow
from compliance.core.extensions import db
from compliance.core.job_results import JobResult
from compliance.core.jobs import (
    Job,
    JobRun,
    SchedulerLock,
    SchedulerStatus,
    add,
    job,
    jobs_of,
    run_all,
    start_in_background,
)
from compliance.documents.models import Acknowledgement, Document
from compliance.org.models import Department
from tests.audits.helpers import audit_in_state, cast
from tests.capa.helpers import ca_in_state
from tests.documents.helpers import document_target
from tests.notifications.conftest import at
from tests.notifications.helpers import emails, new, raised, set_columns

REPO = Path(__file__).resolve().parents[2]


def _everything_due(app, make, day: date, requested_at) -> None:
    """Data that makes every alert job raise something on `day`."""
    people = cast(make)
    digest_reader = make.user(name="Đọc Tổng Hợp", email_mode="digest",
                              departments=[(people.dept.id, "staff")])
    in_app = make.user(name="Chỉ Trong Ứng Dụng", email_mode="none")
    for owner, days in ((people.head, 7), (digest_reader, 30), (in_app, 0),
                        (people.insider, -15)):
        doc = document_target(app, people.dept.id, owner.id, readers=[digest_reader.id])
        set_columns(app, Document, doc.document_id, next_review_date=day + timedelta(days))
    with app.app_context():
        ack_ids = list(db.session.scalars(select(Acknowledgement.id)))
    for ack_id in ack_ids:
        set_columns(app, Acknowledgement, ack_id, requested_at=requested_at)
    set_columns(app, Department, people.dept.id, certificate_number="QMS-1",
                certificate_expires_on=day + timedelta(days=30))
    started = audit_in_state(app, people, "in_progress")
    set_columns(app, Audit, started.audit_id, planned_start=day - timedelta(days=20),
                planned_end=day - timedelta(days=14))
    planned = audit_in_state(app, people, "planned")
    set_columns(app, Audit, planned.audit_id, planned_start=day + timedelta(days=14),
                planned_end=day + timedelta(days=15))
    # Raised 40 days ago in a department without a head, still open: 10 days past its
    # 30-day target, chased with its owner, the coordinator.
    ca_in_state(app, people.other.id, "open", coordinator_id=people.coordinator.id,
                owner_id=people.insider.id, today=day - timedelta(days=40))
    for state in ("actions_in_progress", "verifying"):
        ids = ca_in_state(app, people.dept.id, state, coordinator_id=people.coordinator.id,
                          owner_id=people.insider.id, today=day - timedelta(days=14))
    with app.app_context():
        check_id = db.session.scalar(select(EffectivenessCheck.id).where(
            EffectivenessCheck.corrective_action_id == ids.ca_id))
    set_columns(app, EffectivenessCheck, check_id, due_on=day)


def test_every_job_run_twice_raises_and_sends_nothing_new(mail_app, mail_make, smtp_server,
                                                          clock):
    day = date(2026, 8, 3)
    now = at(day, 7)
    # The data is made that morning: what it raises at once (a corrective action announced to
    # the head) is due in the outbox by the run.
    clock.set(now - timedelta(hours=1))
    _everything_due(mail_app, mail_make, day, now - timedelta(days=15))
    first = run_all(mail_app, now)
    assert all(ok for _id, ok, _result in first), first
    notes, sent = raised(mail_app), list(smtp_server.messages)
    kinds = Counter(n.kind for n in notes)
    for kind in ("review_due", "review_due_today", "review_overdue", "review_overdue_escalated",
                 "ack_outstanding", "ack_outstanding_escalated", "ca_action_due_today",
                 "effectiveness_check_due", "audit_upcoming", "audit_report_late",
                 "certificate_expiring", "ca_raised_due", "ca_target_overdue"):
        assert kinds[kind], (kind, kinds)
    # Immediate people got one email per notification, the digest reader one summary.
    assert len(sent) == len(emails(mail_app)) > 1
    assert any("digest:" in m.message["X-Compliance-Key"] for m in sent)
    assert {e.status for e in emails(mail_app)} == {"sent"}

    for later in (now, now + timedelta(hours=1)):
        again = run_all(mail_app, later)
        assert all(ok for _id, ok, _result in again), again
        results = dict((job_id, result) for job_id, _ok, result in again)
        assert all(results[j.id] == new(0) for j in jobs_of(mail_app)
                   if j.id.startswith("alerts."))
        assert results["digest"] == JobResult("digest.queued", {"count": 0})
        assert results["outbox"] == JobResult("outbox.nothing_due")
    assert len(raised(mail_app)) == len(notes)
    assert len(smtp_server.messages) == len(sent)
    with mail_app.app_context():
        runs = {r.job_id: r for r in db.session.scalars(select(JobRun))}
    assert {job.id: runs[job.id].runs for job in jobs_of(mail_app)} == {
        job.id: 3 for job in jobs_of(mail_app)}
    assert all(r.last_ok for r in runs.values())


def _scheduler_env(app, smtp_server, instance) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLIANCE_")}
    env.update({"PYTHONPATH": os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]),
                "COMPLIANCE_DATABASE_URL": app.config["DATABASE_URL"],
                "COMPLIANCE_INSTANCE_PATH": str(instance), "COMPLIANCE_SECRET_KEY": "race",
                # Two hosts share the files as they share the database (the fixity job
                # checks them).
                "COMPLIANCE_STORAGE_PATH": app.config["STORAGE_PATH"],
                "COMPLIANCE_SMTP_HOST": smtp_server.host,
                "COMPLIANCE_SMTP_PORT": str(smtp_server.port),
                "COMPLIANCE_BASE_URL": "https://iso.thanhbinh.example",
                "COMPLIANCE_LOG_LEVEL": "WARNING",
                # The race is the same with a shorter wait between tries for the lock.
                "COMPLIANCE_SCHEDULER_LOCK_POLL_SECONDS": "0.2"})
    return env


def _wait_for_text(paths: list[Path], text: str, seconds: float = 120) -> None:
    for _ in range(int(seconds * 10)):
        if all(text in path.read_text() for path in paths):
            return
        threading.Event().wait(0.1)
    raise AssertionError([path.read_text() for path in paths])


def test_two_scheduler_processes_at_once_raise_and_send_each_alert_once(
        mail_app, mail_make, smtp_server, tmp_path):
    with mail_app.app_context():
        today = clock.today()
    _everything_due(mail_app, mail_make, today, utcnow() - timedelta(days=15))
    # This test holds the lock first, so both processes are seen waiting on it; then they
    # race for it. Different instance folders: only the database is shared, as on two hosts.
    held = SchedulerLock(mail_app)
    assert held.try_acquire()
    errors = [tmp_path / f"stderr-{n}.txt" for n in range(2)]
    try:
        processes = [subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "compliance", "scheduler", "--once"],
            cwd=tmp_path, env=_scheduler_env(mail_app, smtp_server, tmp_path / f"instance-{n}"),
            stdout=subprocess.PIPE, stderr=errors[n].open("w"), text=True) for n in range(2)]
        _wait_for_text(errors, "Another scheduler holds the lock")
        with mail_app.app_context():
            assert db.session.scalars(select(JobRun)).all() == []
        assert smtp_server.messages == []
    finally:
        held.release()
    outputs = [process.communicate(timeout=240)[0] for process in processes]
    for process, out, error in zip(processes, outputs, errors, strict=True):
        assert process.returncode == 0, (out, error.read_text())
    first_alerts = sorted(line for out in outputs for line in out.splitlines()
                          if line.startswith("alerts.reviews:"))
    # One of them raised the alerts; the other, after it, found nothing new. The command
    # speaks the installation's default language, Vietnamese.
    assert first_alerts[0] == "alerts.reviews: ok: 0 thông báo mới"
    assert first_alerts[1] != "alerts.reviews: ok: 0 thông báo mới"
    assert all("(s)" not in line for out in outputs for line in out.splitlines())

    notes = raised(mail_app)
    assert len(notes) == len({(n.user_id, n.key) for n in notes}) > 10
    outbox = emails(mail_app)
    received = [m.message["X-Compliance-Key"] for m in smtp_server.messages]
    assert sorted(received) == sorted(e.key for e in outbox)
    assert len(received) == len(set(received))
    assert {e.status for e in outbox} == {"sent"}
    immediate = [n for n in notes if n.email_state == "queued"]
    assert {f"notification:{n.id}" for n in immediate} <= set(received)
    with mail_app.app_context():
        runs = {r.job_id: r.runs for r in db.session.scalars(select(JobRun))}
    assert runs == {job.id: 2 for job in jobs_of(mail_app)}


def _second_app(app, tmp_path):
    """Another process's view: the same database, an instance folder of its own."""
    return create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "x",
                       "INSTANCE_PATH": str(tmp_path / "elsewhere"), "TESTING": True})


def test_a_second_scheduler_lock_waits_until_the_first_is_released(app, tmp_path):
    first, second = SchedulerLock(app), SchedulerLock(_second_app(app, tmp_path))
    assert first.try_acquire()
    try:
        assert not second.try_acquire()
        assert not second.try_acquire()
    finally:
        first.release()
    assert second.try_acquire()
    assert not first.try_acquire()
    second.release()

    # acquire() says once that it waits, then takes the lock as soon as it is free.
    assert first.try_acquire()
    told = []
    threading.Timer(0.3, first.release).start()
    assert second.acquire(poll_seconds=0.05, on_wait=lambda: told.append(True))
    assert told == [True]
    second.release()
    stop = threading.Event()
    assert first.try_acquire()
    threading.Timer(0.2, stop.set).start()
    assert not second.acquire(poll_seconds=0.05, stop=stop)
    first.release()


def test_the_in_process_scheduler_runs_the_daily_jobs_at_start_and_stops(app, runner):
    assert "--once" in runner.invoke(args=["scheduler", "--help"]).output
    stop = threading.Event()
    thread = start_in_background(app, stop)
    daily = {entry.id for entry in jobs_of(app) if entry.on_start}
    try:
        for _ in range(300):
            with app.app_context():
                done = {r.job_id for r in db.session.scalars(select(JobRun))
                        if r.last_finished_at}
                status = db.session.get(SchedulerStatus, 1)
            if daily <= done and status is not None:
                break
            threading.Event().wait(0.1)
        assert daily <= done and status is not None
        with app.app_context():
            # The page's "next run" comes from APScheduler's own schedule.
            assert db.session.get(JobRun, "digest").next_run_at is not None
        # While it runs, nobody else gets the lock.
        assert not SchedulerLock(app).try_acquire()
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    other = SchedulerLock(app)
    assert other.try_acquire()
    other.release()


def test_the_job_table_is_assembled_from_each_domains_jobs(app):
    table = [entry.id for entry in jobs_of(app)]
    # Documents, measures, quality objectives, quality.risks, the scope and the steering
    # committee's plan add their jobs from their own register(app); notifications adds the
    # rest.
    assert set(table) == {"outbox", "documents.activate", "documents.disposition_due",
                          "measures.chase", "alerts.reviews",
                          "alerts.acknowledgements", "alerts.corrective_actions",
                          "alerts.corrective_action_targets", "alerts.audits",
                          "alerts.findings", "alerts.certificates", "digest", "housekeeping",
                          "alerts.objective_items", "alerts.context_reviews",
                          "alerts.risk_reviews", "alerts.risk_actions", "webhooks",
                          "webhooks.overdue", "alerts.external_documents",
                          "alerts.announcement_due", "alerts.plan_tasks", "storage.fixity"}
    assert len(table) == len(set(table))
    assert job(app, "documents.activate").on_start
    # Adding the same record again (a second register) changes nothing; a clash is refused.
    add(app, job(app, "outbox"))
    assert [entry.id for entry in jobs_of(app)] == table
    with pytest.raises(ValueError):
        add(app, Job("outbox", lambda today, now: JobResult("x"), "interval", {"minutes": 5}))


def test_run_all_runs_the_outbox_last_and_records_a_failure(app):
    calls = []

    def boom(today, now):
        raise RuntimeError("no luck")

    add(app, Job("test.first", lambda today, now: calls.append("first") or JobResult("ok"),
                 "interval", {"minutes": 5}, last=True),
        Job("test.boom", boom, "interval", {"minutes": 5}))
    try:
        results = run_all(app, clock.utcnow())
    finally:
        for job_id in ("test.first", "test.boom"):
            app.extensions["compliance_jobs"].pop(job_id)
    order = [job_id for job_id, _ok, _result in results]
    assert order[-3:] == ["outbox", "webhooks", "test.first"] and calls == ["first"]
    failed = {job_id: result for job_id, ok, result in results if not ok}
    assert failed == {"test.boom": JobResult("failed", {"error": "RuntimeError: no luck"})}
    with app.app_context():
        run = db.session.get(JobRun, "test.boom")
        assert (run.last_ok, run.runs) == (False, 1)
