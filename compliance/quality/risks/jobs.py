"""This sub-domain's scheduled jobs: risk reviews and treatment actions falling due.

Each takes today (the organisation's day) and now (UTC), builds its alerts and hands them to
`notifications.services.raise_alerts`, which raises each (person, key) once ever and keeps to
one a day per person and subject (`risk:<id>`, `risk_action:<id>`): a second run, a restart
or a second scheduler raise nothing again. Reminders at each lead time of `ALERT_RISK_DAYS`
(the tightest reached), then overdue from the day after: the department's heads (the
coordinators when it has none), and after the second step of `ALERT_RISK_ESCALATE_DAYS` the
coordinators too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from compliance.core import jobs as core_jobs
from compliance.core.job_results import JobResult
from compliance.core.jobs import Job
from compliance.notifications.recipients import (
    coordinators,
    days_setting,
    lead_for,
    link,
    names,
    two_steps,
)
from compliance.notifications.services import Alert, sweep
from compliance.org import queries as org
from compliance.quality.risks import queries
from compliance.quality.risks.labels import KIND_LABELS


def risk_params(risk) -> dict:
    """The values a notification about a risk shows, in both languages."""
    params = {"reference": risk.reference, "department_vi": risk.department.name_vi,
              "department_en": risk.department.name_en}
    for locale in ("vi", "en"):
        with force_locale(locale):
            params[f"kind_{locale}"] = str(KIND_LABELS[risk.kind])
    return params


def _owners(department_id: int, heads: dict[int, list[int]], staff: list[int]) -> set[int]:
    return set(heads.get(department_id) or staff)


def review_alerts(today: date, now: datetime) -> JobResult:
    """Reviews due (lead times) and overdue (the heads, then the coordinators)."""
    leads = days_setting("ALERT_RISK_DAYS")
    risks = queries.reviews_due_by(today + timedelta(days=max(leads, default=0)))
    if not risks:
        return sweep([], now)
    heads = org.heads_by_department({r.department_id for r in risks})
    staff = coordinators()
    _head_after, coordinator_after = two_steps("ALERT_RISK_ESCALATE_DAYS")
    alerts = []
    for risk in risks:
        days, due = (risk.review_on - today).days, risk.review_on
        owners = _owners(risk.department_id, heads, staff)
        params = {**risk_params(risk), "due": due}
        target = link("quality.risks.detail", risk_id=risk.id)
        if days >= 0:
            lead = lead_for(days, leads)
            if lead is not None:
                alerts.append(Alert("risk_review_due_today" if days == 0 else "risk_review_due",
                                    f"risk:{risk.id}:review_due:{due}:{lead}d", owners,
                                    params, target))
            continue
        key = f"risk:{risk.id}:review_overdue:{due}"
        alerts.append(Alert("risk_review_overdue", f"{key}:head", owners, params, target))
        if -days >= max(coordinator_after, 1):
            alerts.append(Alert("risk_review_overdue", f"{key}:coordinator",
                                set(staff) - owners, params, target))
    return sweep(alerts, now)


def action_alerts(today: date, now: datetime) -> JobResult:
    """Treatment actions due (their owner) and overdue (the owner and the heads, then the
    coordinators)."""
    leads = days_setting("ALERT_RISK_DAYS")
    actions = queries.actions_due_by(today + timedelta(days=max(leads, default=0)))
    if not actions:
        return sweep([], now)
    heads = org.heads_by_department({a.risk.department_id for a in actions})
    staff = coordinators()
    owners = names(a.owner_id for a in actions)
    _head_after, coordinator_after = two_steps("ALERT_RISK_ESCALATE_DAYS")
    alerts = []
    for action in actions:
        risk, days, due = action.risk, (action.due_on - today).days, action.due_on
        params = {**risk_params(risk), "action": action.description[:200], "due": due,
                  "owner": owners.get(action.owner_id, "")}
        target = link("quality.risks.detail", risk_id=risk.id, _anchor="actions")
        if days >= 0:
            lead = lead_for(days, leads)
            if lead is not None:
                alerts.append(Alert("risk_action_due_today" if days == 0 else "risk_action_due",
                                    f"risk_action:{action.id}:due:{due}:{lead}d",
                                    [action.owner_id], params, target))
            continue
        key = f"risk_action:{action.id}:overdue:{due}"
        told = {action.owner_id} | _owners(risk.department_id, heads, staff)
        alerts.append(Alert("risk_action_overdue", f"{key}:head", told, params, target))
        if -days >= max(coordinator_after, 1):
            alerts.append(Alert("risk_action_overdue", f"{key}:coordinator",
                                set(staff) - told, params, target))
    return sweep(alerts, now)


JOBS = (
    Job("alerts.risk_reviews", review_alerts, "cron", {"minute": 30},
        _l("Risk reviews due and overdue"), True, "ALERT_HOUR"),
    Job("alerts.risk_actions", action_alerts, "cron", {"minute": 35},
        _l("Risk treatment actions due and overdue"), True, "ALERT_HOUR"),
)


def register(app: Flask) -> None:
    """Add this sub-domain's jobs to the app's job table."""
    core_jobs.add(app, *JOBS)
