"""Corrective actions as a whole: announced to the department's heads when raised, then
chased against their target date until the action plan is in place.

Who: the *owners* of a corrective action are the heads of its department (coordinators
when it has none), who contain, analyse and plan it. Before the target date they get a
reminder at each lead time (`ALERT_CAPA_DAYS`), the day after it a notification that it is
overdue; then, after the two steps of `ALERT_CA_TARGET_ESCALATE_DAYS`, the heads and then the
coordinators hear, never someone told at an earlier step (when the owners are the heads,
the first step goes to the coordinators and the second adds no one). The announcement is
news (told at once); the reminders keep to `raise_alerts`' one a day per person and subject
(`ca:<id>`): a step due on a day its person already heard about the corrective action waits
for the next run.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import force_locale

from compliance.capa import queries as capa
from compliance.capa.labels import STATE_LABELS
from compliance.core.job_results import JobResult
from compliance.notifications.recipients import (
    coordinators,
    days_setting,
    lead_for,
    link,
    two_steps,
)
from compliance.notifications.services import Alert, raise_alerts, sweep
from compliance.org import queries as org

KEY_PREFIX = "ca:"


def ca_key(ca_id: int, event: str) -> str:
    """The dedupe key of a notification about one corrective action as a whole."""
    return f"{KEY_PREFIX}{ca_id}:{event}"


def ca_params(ca) -> dict:
    """The values a notification about a corrective action shows, in both languages."""
    params = {"reference": ca.reference, "problem": ca.problem[:200],
              "department_vi": ca.department.name_vi, "department_en": ca.department.name_en,
              "grade_vi": ca.grade_rule.name_vi, "grade_en": ca.grade_rule.name_en}
    for locale in ("vi", "en"):
        with force_locale(locale):
            params[f"state_{locale}"] = str(STATE_LABELS[ca.status]).lower()
    return params


def owners_of(ca, heads: dict[int, list[int]], staff: list[int]) -> set[int]:
    """Who must act on a corrective action: its department's heads, else the coordinators."""
    return set(heads.get(ca.department_id) or staff)


def announce(ca, actor_id: int | None) -> None:
    """The owners hear at once of a corrective action raised (not the one who raised it)."""
    heads = org.heads_by_department([ca.department_id])
    people = owners_of(ca, heads, coordinators()) - {actor_id}
    params = ca_params(ca)
    kind = "ca_raised"
    if ca.target_on is not None:
        kind, params["due"] = "ca_raised_due", ca.target_on
    raise_alerts([Alert(kind, ca_key(ca.id, "raised"), people, params,
                        link("capa.detail", ca_id=ca.id), news=True)])


def target_alerts(today: date, now: datetime) -> JobResult:
    """Corrective actions coming up to their target date, and past it, without a plan."""
    leads = days_setting("ALERT_CAPA_DAYS")
    rows = capa.targets_due_by(today + timedelta(days=max(leads)))
    if not rows:
        return sweep([], now)
    heads = org.heads_by_department({ca.department_id for ca in rows})
    staff = coordinators()
    alerts = []
    for ca in rows:
        alerts += _for(ca, today, leads, owners_of(ca, heads, staff),
                       set(heads.get(ca.department_id, [])), set(staff))
    # In step order: of the steps reached at once for one person, the furthest is raised.
    return sweep(alerts, now)


def _for(ca, today: date, leads: list[int], owners: set[int], heads: set[int],
         staff: set[int]) -> list[Alert]:
    due = ca.target_on
    days = (due - today).days
    params = {**ca_params(ca), "due": due}
    target = link("capa.detail", ca_id=ca.id)
    key = ca_key(ca.id, f"target:{due}")
    if days >= 0:
        lead = lead_for(days, leads)
        if lead is None:
            return []
        kind = "ca_target_due_today" if days == 0 else "ca_target_due"
        return [Alert(kind, f"{key}:{lead}d", owners, params, target)]
    late = -days
    first, second = two_steps("ALERT_CA_TARGET_ESCALATE_DAYS")
    # Each step goes to people not told before; with the heads as owners, the first step
    # escalates to the coordinators and the second has no one left.
    step_one = (heads - owners) or (staff - owners)
    step_two = staff - owners - step_one
    alerts = [Alert("ca_target_overdue", f"{key}:overdue", owners, params, target)]
    if late >= max(first, 1):
        alerts.append(Alert("ca_target_overdue_escalated", f"{key}:escalated:1", step_one,
                            params, target))
    if late >= max(second, 1):
        alerts.append(Alert("ca_target_overdue_escalated", f"{key}:escalated:2", step_two,
                            params, target))
    return alerts
