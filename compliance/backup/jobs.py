"""The monthly fixity check: every stored file a record names re-hashed, in whatever store
the installation uses, and the outcome kept on the scheduler page (what `compliance storage
verify` does by hand). A missing or damaged file fails the job, so the page shows it in red
with what to do."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from compliance.audit_trail.services import named_files
from compliance.core import jobs as core_jobs
from compliance.core import storage_check
from compliance.core.extensions import db
from compliance.core.job_results import JobResult, add_phrasings
from compliance.core.jobs import Job
from compliance.core.storage import get_store


class FilesLost(Exception):
    """Files that records name are missing or damaged in the store."""


def fixity(today: date, now: datetime) -> JobResult:
    """Re-hash every referenced file; fail when one is missing or damaged."""
    report = storage_check.check(get_store(), db.session, db.metadata, kept=named_files())
    if not report.ok:
        raise FilesLost(gettext(
            "%(missing)d missing and %(damaged)d damaged of %(num)d stored files: run "
            "`compliance storage verify` to see which, and restore them from a backup.",
            missing=len(report.missing), damaged=len(report.corrupt),
            num=len(report.references)))
    return JobResult("storage.fixity", {"count": report.intact,
                                        "orphans": len(report.orphans)})


JOB_RESULTS = {
    "storage.fixity": lambda p: ngettext(
        "%(num)d stored file checked, intact; %(orphans)d unreferenced",
        "%(num)d stored files checked, all intact; %(orphans)d unreferenced", p["count"],
        orphans=p["orphans"]),
}

JOBS = (
    # Monthly, at night: it reads every file once (hours for a province's terabytes).
    Job("storage.fixity", fixity, "cron", {"day": 1, "hour": 2, "minute": 50},
        _l("Check every stored file against its hash (fixity)"), per_organisation=False),
)


def register(app: Flask) -> None:
    """Add the fixity job to the app's job table, and say how its result reads."""
    core_jobs.add(app, *JOBS)
    add_phrasings(app, JOB_RESULTS)
