"""The scope's scheduled job: a new announcement of conformity due (công bố lại).

When the scope changed after the last announcement (QĐ 19/2014/QĐ-TTg, Điều 4.3) the job
drafts the new decision, unless a draft already waits, and tells the coordinators once per
announcement in force (the key names it), with a link to the draft."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import lazy_gettext as _l

from compliance.core import jobs as core_jobs
from compliance.core import tenancy
from compliance.core.job_results import JobResult
from compliance.core.jobs import Job
from compliance.notifications.recipients import coordinators, link
from compliance.notifications.services import Alert, sweep
from compliance.scope import announcements, queries


def announcement_due_alerts(today: date, now: datetime) -> JobResult:
    """A new announcement due: its draft made if none waits, the coordinators told."""
    last = queries.latest_issued()
    if not queries.scope_changed_after(last):
        return sweep([], now)
    waiting = queries.waiting_draft() or announcements.draft_for(
        None, tenancy.current_organisation_id())
    params = {"number": f"{last.number:02d}/{last.symbol}" if last else "—",
              "issued": last.issued_on if last else None}
    key = f"scope_announcement:due:after:{last.id if last else 0}"
    return sweep([Alert("announcement_due" if last else "announcement_first_due", key,
                        coordinators(), {k: v for k, v in params.items() if v},
                        link("scope.announcements.page", announcement_id=waiting.id))], now)


JOBS = (
    Job("alerts.announcement_due", announcement_due_alerts, "cron", {"minute": 40},
        _l("A new announcement of conformity due"), True, "ALERT_HOUR"),
)


def register(app: Flask) -> None:
    """Add the scope's job to the app's job table."""
    core_jobs.add(app, *JOBS)
