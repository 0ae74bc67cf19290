"""This sub-domain's scheduled job: measures whose period is over and whose value has not
come in are chased.

After `MEASURE_GRACE_DAYS` past the end of a period, the measure's recorder (the process
owner, else the department's heads, when it names none) is reminded once
(`measure:<id>:due:<period>`); `MEASURE_ESCALATE_DAYS` later the process owner and the heads
who are not the recorder hear (`…:escalated`). `raise_alerts` raises each key once per person
whatever the number of runs, and at most one a day per person and measure (`measure:<id>`), so
a run twice, a restart or two schedulers send nothing twice."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from compliance.core import jobs as core_jobs
from compliance.core.job_results import JobResult
from compliance.core.jobs import Job
from compliance.notifications.recipients import link, names
from compliance.notifications.services import Alert, sweep
from compliance.org import queries as org
from compliance.quality.measures import queries


def measure_params(measure) -> dict:
    """The values a notification about a measure shows, in both languages."""
    process = measure.process
    return {"code": measure.code, "name_vi": measure.name_vi,
            "name_en": measure.name_en or measure.name_vi, "unit": measure.unit,
            "process_vi": f"{process.code} {process.name_vi}",
            "process_en": f"{process.code} {process.name_en}"}


def chase_values(today: date, now: datetime) -> JobResult:
    """Remind the recorders of values due and not recorded, then escalate to the owners."""
    grace = int(current_app.config["MEASURE_GRACE_DAYS"])
    escalate = int(current_app.config["MEASURE_ESCALATE_DAYS"])
    due = queries.unrecorded(today, grace)
    if not due:
        return sweep([], now)
    heads = org.heads_by_department({d.measure.department_id for d in due})
    recorders = names(d.measure.recorder_id for d in due)
    alerts = []
    for item in due:
        measure, period = item.measure, item.period
        owners = ({measure.process.owner_id} if measure.process.owner_id else set()) \
            | set(heads.get(measure.department_id, []))
        first = {measure.recorder_id} if measure.recorder_id else owners
        params = {**measure_params(measure), "period": period.code, "end": period.end,
                  "recorder": recorders.get(measure.recorder_id, "—")}
        target = partial(link, "quality.measures.detail", measure_id=measure.id)
        key = f"measure:{measure.id}:due:{period.code}"
        alerts.append(Alert("measure_value_due", key, first, params, target))
        if item.days_late > grace + escalate:
            alerts.append(Alert("measure_value_overdue", f"{key}:escalated", owners - first,
                                params, target))
    return sweep(alerts, now)


JOBS = (
    Job("measures.chase", chase_values, "cron", {"minute": 30},
        _l("Measure values due and not recorded"), True, "ALERT_HOUR"),
)


def register(app: Flask) -> None:
    """Add this sub-domain's jobs to the app's job table."""
    core_jobs.add(app, *JOBS)
