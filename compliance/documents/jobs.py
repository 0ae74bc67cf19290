"""The documents domain's scheduled jobs: approved revisions come into force on their day;
each month, the revisions due for disposition are listed and the coordinators told."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import lazy_gettext as _l

from compliance.core import jobs as core_jobs
from compliance.core import signals
from compliance.core.job_results import JobResult, add_phrasings
from compliance.core.jobs import Job
from compliance.documents.labels import JOB_RESULTS
from compliance.documents.records import periods, queries
from compliance.documents.services.approval import activate_due


def activate_documents(today: date, now: datetime) -> JobResult:
    """Bring approved revisions into force on their effective date."""
    return JobResult("documents.activated", {"count": activate_due(today)})


def list_disposition_due(today: date, now: datetime) -> JobResult:
    """List the revisions whose retention ends by the end of this month (and those left
    undecided before) and tell the coordinators, once a month."""
    first, last = periods.month_bounds(today.year, today.month)
    items = queries.due_items(last)
    held = sum(1 for item in items if item.holds)
    if items:
        signals.disposition_due.send(first, items=items, held=held)
    return JobResult("documents.disposition_due",
                     {"count": len(items), "by": last.isoformat(), "held": held})


JOBS = (
    Job("documents.activate", activate_documents, "cron", {"hour": 0, "minute": 5},
        _l("Bring approved revisions into force"), on_start=True),
    Job("documents.disposition_due", list_disposition_due, "cron", {"day": 1, "minute": 40},
        _l("Revisions due for disposition this month"), True, "ALERT_HOUR"),
)


def register(app: Flask) -> None:
    """Add this domain's jobs to the app's job table, and say how their results read."""
    core_jobs.add(app, *JOBS)
    add_phrasings(app, JOB_RESULTS)
