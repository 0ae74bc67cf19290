"""The documents domain's scheduled job: approved revisions come into force on their day."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import lazy_gettext as _l

from compliance.core import jobs as core_jobs
from compliance.core.jobs import Job
from compliance.documents.services.approval import activate_due


def activate_documents(today: date, now: datetime) -> str:
    """Bring approved revisions into force on their effective date."""
    return f"{activate_due(today)} revision(s) came into force"


JOBS = (
    Job("documents.activate", activate_documents, "cron", {"hour": 0, "minute": 5},
        _l("Bring approved revisions into force"), on_start=True),
)


def register(app: Flask) -> None:
    """Add this domain's jobs to the app's job table."""
    core_jobs.add(app, *JOBS)
