"""The yearly plan's job: tasks coming due (their owner) and overdue (the owner and the
coordinators, once), at the lead times of ALERT_PLAN_DAYS."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask
from flask_babel import lazy_gettext as _l

from compliance.core import jobs as core_jobs
from compliance.core.job_results import JobResult
from compliance.core.jobs import Job
from compliance.notifications.recipients import coordinators, days_setting, lead_for, link
from compliance.notifications.services import Alert, sweep
from compliance.steering import services


def plan_alerts(today: date, now: datetime) -> JobResult:
    """Plan tasks due within the lead times, and overdue the day after their date."""
    leads = days_setting("ALERT_PLAN_DAYS")
    tasks = services.tasks_due_by(today + timedelta(days=max(leads, default=0)))
    staff = coordinators() if tasks else []
    alerts = []
    for task in tasks:
        days = (task.due_on - today).days
        params = {"task": task.title[:200], "year": task.year, "due": task.due_on}
        target = link("steering.task", task_id=task.id)
        key = f"plan_task:{task.id}:due:{task.due_on}"
        if days < 0:
            alerts.append(Alert("plan_task_overdue", f"{key}:late",
                                sorted({task.owner_id, *staff}), params, target))
            continue
        lead = lead_for(days, leads)
        if lead is not None:
            alerts.append(Alert("plan_task_due", f"{key}:{lead}d", [task.owner_id], params,
                                target))
    return sweep(alerts, now)


JOBS = (
    Job("alerts.plan_tasks", plan_alerts, "cron", {"minute": 45},
        _l("Tasks of the yearly plan due and overdue"), True, "ALERT_HOUR"),
)


def register(app: Flask) -> None:
    """Add the plan's job to the app's job table."""
    core_jobs.add(app, *JOBS)
