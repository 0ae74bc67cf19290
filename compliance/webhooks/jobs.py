"""This domain's scheduled jobs: the webhook outbox (every minute, for the installation)
and the daily sweep raising `corrective_action.overdue` (per organisation)."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from compliance.capa import queries as capa
from compliance.core import jobs as core_jobs
from compliance.core.job_results import JobResult, add_phrasings
from compliance.core.jobs import Job
from compliance.webhooks import delivery
from compliance.webhooks.services import hooks_wanting, raise_event


def deliver_webhooks(today: date, now: datetime) -> JobResult:
    """Post the waiting webhook deliveries whose time has come."""
    return delivery.deliver(now)


def overdue_corrective_actions(today: date, now: datetime) -> JobResult:
    """One `corrective_action.overdue` per corrective action with a late action or check
    (once per corrective action: a second sweep finds its key taken)."""
    raised = 0
    late = capa.overdue_at(today)
    if not late or not hooks_wanting(late[0].organisation_id, "corrective_action.overdue"):
        return JobResult("webhooks.raised", {"count": 0})
    for ca in late:
        data = {"corrective_action": {"id": ca.id, "reference": ca.reference,
                                      "status": ca.status, "target_on": ca.target_on},
                "as_of": today}
        raised += raise_event(ca.organisation_id, "corrective_action.overdue",
                              f"ca:{ca.id}:overdue", data)
    return JobResult("webhooks.raised", {"count": raised})


JOB_RESULTS = {
    "webhooks.nothing_due": lambda p: gettext("Nothing to post"),
    "webhooks.delivered": lambda p: ngettext(
        "%(num)d delivery posted, %(failed)d failed", "%(num)d deliveries posted, "
        "%(failed)d failed", p["sent"], failed=p["failed"]),
    "webhooks.raised": lambda p: ngettext("%(num)d webhook event raised",
                                          "%(num)d webhook events raised", p["count"]),
}

JOBS = (
    Job("webhooks", deliver_webhooks, "interval", {"minutes": 1}, _l("Post waiting webhooks"),
        last=True, per_organisation=False),
    Job("webhooks.overdue", overdue_corrective_actions, "cron", {"minute": 30},
        _l("Webhook events for overdue corrective actions"), True, "ALERT_HOUR"),
)


def register(app: Flask) -> None:
    """Add this domain's jobs to the app's job table, and say how their results read."""
    core_jobs.add(app, *JOBS)
    add_phrasings(app, JOB_RESULTS)
