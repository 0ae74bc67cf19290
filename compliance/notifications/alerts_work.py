"""Alert jobs for corrective actions and audits."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app

from compliance.audits import queries as audits
from compliance.capa import queries as capa
from compliance.core.job_results import JobResult
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


def _action_params(action, owner: str = "") -> dict:
    return {"reference": action.corrective_action.reference, "action": action.description[:200],
            "due": action.due_on, "owner": owner}


def corrective_action_alerts(today: date, now: datetime) -> JobResult:
    """Action items due (owner), overdue (head, then coordinators); checks due (verifier)."""
    leads = days_setting("ALERT_CAPA_DAYS")
    alerts = []
    for action in capa.actions_due_within(today, max(leads)):
        days = (action.due_on - today).days
        lead = lead_for(days, leads)
        alerts.append(Alert("ca_action_due_today" if days == 0 else "ca_action_due",
                            f"ca_action:{action.id}:due:{action.due_on}:{lead}d",
                            [action.owner_id], _action_params(action),
                            link("capa.detail", ca_id=action.corrective_action_id)))
    alerts += _overdue_actions(today)
    alerts += _checks_due(today)
    return sweep(alerts, now)


def _overdue_actions(today: date) -> list[Alert]:
    actions = capa.overdue_actions(today)
    if not actions:
        return []
    head_after, coordinator_after = two_steps("ALERT_CAPA_ESCALATE_DAYS")
    heads = org.heads_by_department({a.corrective_action.department_id for a in actions})
    owners = names(a.owner_id for a in actions)
    staff = coordinators()
    alerts = []
    for action in actions:
        late = (today - action.due_on).days
        params = _action_params(action, owners.get(action.owner_id, ""))
        target = link("capa.detail", ca_id=action.corrective_action_id)
        key = f"ca_action:{action.id}:overdue:{action.due_on}"
        if late >= max(head_after, 1):
            alerts.append(Alert("ca_action_overdue", f"{key}:head",
                                heads.get(action.corrective_action.department_id, []),
                                params, target))
        if late >= max(coordinator_after, 1):
            alerts.append(Alert("ca_action_overdue", f"{key}:coordinator", staff, params,
                                target))
    return alerts


def _checks_due(today: date) -> list[Alert]:
    checks = capa.checks_due(today, 0)
    staff = coordinators() if checks else []
    alerts = []
    for check in checks:
        ca = check.corrective_action
        verifier = check.verifier_id or ca.verifier_id
        alerts.append(Alert("effectiveness_check_due", f"effcheck:{check.id}:due:{check.due_on}",
                            [verifier] if verifier else staff,
                            {"reference": ca.reference, "due": check.due_on},
                            link("capa.detail", ca_id=ca.id)))
    return alerts


def audit_params(audit) -> dict:
    """The values a notification about an audit shows."""
    return {"reference": audit.reference, "department_vi": audit.department.name_vi,
            "department_en": audit.department.name_en, "start": audit.planned_start,
            "end": audit.planned_end}


def audit_alerts(today: date, now: datetime) -> JobResult:
    """Audits starting soon (team and audited heads); reports late (lead and coordinators)."""
    leads = days_setting("ALERT_AUDIT_DAYS")
    upcoming = audits.starting_between(today, today + timedelta(days=max(leads)))
    heads = org.heads_by_department({a.department_id for a in upcoming})
    alerts = []
    for audit in upcoming:
        lead = lead_for((audit.planned_start - today).days, leads)
        people = audit.auditor_ids() | set(heads.get(audit.department_id, []))
        alerts.append(Alert("audit_upcoming",
                            f"audit:{audit.id}:upcoming:{audit.planned_start}:{lead}d", people,
                            audit_params(audit), link("audits.conduct.detail", audit_id=audit.id)))
    late_after = int(current_app.config["ALERT_REPORT_LATE_DAYS"])
    late = audits.reports_late(today - timedelta(days=late_after))
    staff = coordinators() if late else []
    for audit in late:
        alerts.append(Alert("audit_report_late",
                            f"audit:{audit.id}:report_late:{audit.planned_end}",
                            {audit.lead_auditor_id, *staff}, audit_params(audit),
                            link("audits.conduct.detail", audit_id=audit.id)))
    return sweep(alerts, now)


def finding_alerts(today: date, now: datetime) -> JobResult:
    """Findings not answered by their response due date: the audited department's heads,
    then (a step later) the coordinators and the lead auditor."""
    findings = audits.responses_overdue(today)
    if not findings:
        return sweep([], now)
    head_after, coordinator_after = two_steps("ALERT_FINDING_ESCALATE_DAYS")
    heads = org.heads_by_department({f.audit.department_id for f in findings})
    staff = coordinators()
    alerts = []
    for finding in findings:
        audit, due = finding.audit, finding.response_due_on
        late = (today - due).days
        params = {**audit_params(audit), "reference": finding.reference, "due": due}
        target = link("audits.conduct.detail", audit_id=audit.id, _anchor="findings")
        key = f"finding:{finding.id}:response_overdue:{due}"
        if late >= max(head_after, 1):
            alerts.append(Alert("finding_response_overdue", f"{key}:head",
                                heads.get(audit.department_id, []), params, target))
        if late >= max(coordinator_after, 1):
            alerts.append(Alert("finding_response_overdue", f"{key}:coordinator",
                                {*staff, audit.lead_auditor_id}, params, target))
    return sweep(alerts, now)
