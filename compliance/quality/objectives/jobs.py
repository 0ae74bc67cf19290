"""This sub-domain's scheduled jobs: plan items of the objectives chased like
corrective-action items, and the context's review dates.

Plan items: the owner is reminded at each lead time before the due date
(`ALERT_CAPA_DAYS`) and told the day after it that the item is overdue; then, after the two
steps of `ALERT_CAPA_ESCALATE_DAYS`, the department's heads and then the coordinators hear,
never someone told at an earlier step (an objective of the organisation has no head: the
coordinators come at the first step). Context issues and interested parties: coordinators,
at each lead time of `ALERT_REVIEW_DAYS` and once overdue.

Exactly once: every notification has a dedupe key naming the item (or record), its due date
and the step, so however many times a job runs, each person hears of each step once
(`notifications.services.raise_alerts`), and at most once a day about the same item.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
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
from compliance.quality.objectives import queries


def _objective_params(objective) -> dict:
    params = {"year": str(objective.year), "objective_vi": objective.statement_vi[:200],
              "objective_en": objective.statement("en")[:200]}
    for locale in ("vi", "en"):
        with force_locale(locale):
            department = objective.department
            params[f"department_{locale}"] = (department.name(locale) if department
                                              else _("the organisation"))
    return params


def _item_params(item, owner: str = "") -> dict:
    return {**_objective_params(item.objective), "item": item.description[:200],
            "due": item.due_on, "owner": owner}


def plan_item_alerts(today: date, now: datetime) -> JobResult:
    """Plan items due (owner), overdue (owner, then heads, then coordinators)."""
    leads = days_setting("ALERT_CAPA_DAYS")
    alerts = []
    for item in queries.items_due_within(today, max(leads)):
        days = (item.due_on - today).days
        lead = lead_for(days, leads)
        if lead is None:
            continue
        alerts.append(Alert("objective_item_due_today" if days == 0 else "objective_item_due",
                            f"objective_item:{item.id}:due:{item.due_on}:{lead}d",
                            [item.owner_id], _item_params(item),
                            link("quality.objectives.detail", objective_id=item.objective_id)))
    alerts += _overdue_items(today)
    return sweep(alerts, now)


def _overdue_items(today: date) -> list[Alert]:
    items = queries.overdue_items(today)
    if not items:
        return []
    first, second = two_steps("ALERT_CAPA_ESCALATE_DAYS")
    heads = org.heads_by_department({i.objective.department_id for i in items
                                     if i.objective.department_id is not None})
    owners = names(i.owner_id for i in items)
    staff = set(coordinators())
    alerts = []
    for item in items:
        late = (today - item.due_on).days
        params = _item_params(item, owners.get(item.owner_id, ""))
        target = link("quality.objectives.detail", objective_id=item.objective_id)
        key = f"objective_item:{item.id}:overdue:{item.due_on}"
        told = {item.owner_id}
        alerts.append(Alert("objective_item_overdue", f"{key}:owner", told, params, target))
        # Each step goes to people not told before; with no head (or the owner the only
        # one), the first step goes to the coordinators and the second has no one left.
        step_one = (set(heads.get(item.objective.department_id, [])) - told) or (staff - told)
        step_two = staff - told - step_one
        if late >= max(first, 1):
            alerts.append(Alert("objective_item_overdue_escalated", f"{key}:escalated:1",
                                step_one, params, target))
        if late >= max(second, 1):
            alerts.append(Alert("objective_item_overdue_escalated", f"{key}:escalated:2",
                                step_two, params, target))
    return alerts


def context_review_alerts(today: date, now: datetime) -> JobResult:
    """Context issues and interested parties coming up to their review date, and past it
    (coordinators)."""
    leads = days_setting("ALERT_REVIEW_DAYS")
    issues, parties = queries.reviews_due_by(today + timedelta(days=max(leads)))
    if not issues and not parties:
        return sweep([], now)
    staff = coordinators()
    target = link("quality.context.index")
    alerts = []
    for prefix, rows in (("context_issue", issues), ("interested_party", parties)):
        for row in rows:
            due = row.review_on
            days = (due - today).days
            params = {"due": due, **_what(prefix, row)}
            if days < 0:
                alerts.append(Alert(f"{prefix}_review_overdue",
                                    f"{prefix}:{row.id}:review_overdue:{due}", staff, params,
                                    f"{target}#{prefix}-{row.id}"))
                continue
            lead = lead_for(days, leads)
            if lead is not None:
                alerts.append(Alert(f"{prefix}_review_due",
                                    f"{prefix}:{row.id}:review_due:{due}:{lead}d", staff,
                                    params, f"{target}#{prefix}-{row.id}"))
    return sweep(alerts, now)


def _what(prefix: str, row) -> dict:
    if prefix == "interested_party":
        return {"name_vi": row.name_vi, "name_en": row.name("en")}
    return {"name": row.description[:120]}


JOBS = (
    Job("alerts.objective_items", plan_item_alerts, "cron", {"minute": 30},
        _l("Quality objectives: plan items due and overdue"), True, "ALERT_HOUR"),
    Job("alerts.context_reviews", context_review_alerts, "cron", {"minute": 35},
        _l("Context issues and interested parties due for review"), True, "ALERT_HOUR"),
)


def register(app: Flask) -> None:
    """Add this sub-domain's jobs to the app's job table."""
    core_jobs.add(app, *JOBS)
