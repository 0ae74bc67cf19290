"""Alert jobs for documents and certificates: reviews due and overdue, readings outstanding,
external documents due for a check."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

from compliance.core import clock
from compliance.core.job_results import JobResult
from compliance.documents import queries as documents
from compliance.documents.external import queries as external
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


def _doc_params(row) -> dict:
    return {"code": row.code, "title_vi": row.title_vi, "title_en": row.title_en}


def review_alerts(today: date, now: datetime) -> JobResult:
    """Reviews coming due (owner) and overdue (owner, then head, then coordinators; never
    the owner twice, nor anyone at two steps)."""
    leads = days_setting("ALERT_REVIEW_DAYS")
    rows = documents.reviews_due_by(today, today + timedelta(days=max(leads)))
    alerts = []
    for row in rows:
        days = (row.next_review_date - today).days
        if row.overdue:
            continue
        lead = lead_for(days, leads)
        if lead is None:
            continue
        due = row.next_review_date
        alerts.append(Alert("review_due_today" if days == 0 else "review_due",
                            f"document:{row.id}:review_due:{due}:{lead}d", [row.owner_id],
                            {**_doc_params(row), "due": due},
                            partial(link, "documents.detail", document_id=row.id)))
    alerts += _overdue_reviews(today, [r for r in rows if r.overdue])
    return sweep(alerts, now)


def _overdue_reviews(today: date, rows) -> list[Alert]:
    if not rows:
        return []
    head_after, coordinator_after = two_steps("ALERT_REVIEW_ESCALATE_DAYS")
    heads = org.heads_by_department({r.department_id for r in rows})
    owners = names(r.owner_id for r in rows)
    staff = coordinators()
    alerts = []
    for row in rows:
        due, late = row.next_review_date, (today - row.next_review_date).days
        params = {**_doc_params(row), "due": due, "owner": owners.get(row.owner_id, "")}
        target = partial(link, "documents.detail", document_id=row.id)
        key = f"document:{row.id}:review_overdue:{due}"
        alerts.append(Alert("review_overdue", f"{key}:owner", [row.owner_id], params, target))
        # Each step goes to people who have not heard of it yet: an owner who heads the
        # department is escalated over, to the coordinators, at the head's step.
        step_heads = [h for h in heads.get(row.department_id, []) if h != row.owner_id]
        step_staff = [c for c in staff if c != row.owner_id and c not in step_heads]
        if late >= head_after and step_heads:
            alerts.append(Alert("review_overdue_escalated", f"{key}:head", step_heads,
                                params, target))
        if late >= (coordinator_after if step_heads else head_after):
            alerts.append(Alert("review_overdue_escalated", f"{key}:coordinator", step_staff,
                                params, target))
    return alerts


def acknowledgement_alerts(today: date, now: datetime) -> JobResult:
    """Readings not confirmed after the first step (reader), then the second (their head)."""
    reader_after, head_after = two_steps("ALERT_ACK_DAYS")
    rows = documents.outstanding_acknowledgements(now - timedelta(days=reader_after))
    # Escalation is per request: one old request must not escalate the reader's newer ones.
    late = {r.id for r in rows if (now - r.requested_at).days >= head_after}
    late_readers = {r.user_id for r in rows if r.id in late}
    departments = org.departments_of_users(late_readers)
    heads = org.heads_by_department({d for ds in departments.values() for d in ds})
    readers = names(late_readers)
    alerts = []
    for row in rows:
        params = {"code": row.code, "title_vi": row.title_vi, "title_en": row.title_en,
                  "label": row.label, "requested": clock.local_date(row.requested_at),
                  "reader": readers.get(row.user_id, "")}
        alerts.append(Alert("ack_outstanding", f"ack:{row.id}:outstanding:{reader_after}d",
                            [row.user_id], params, link("documents.reading.to_read")))
        if row.id in late:
            their_heads = {h for d in departments.get(row.user_id, [])
                           for h in heads.get(d, []) if h != row.user_id}
            alerts.append(Alert("ack_outstanding_escalated",
                                f"ack:{row.id}:outstanding:{head_after}d:head", their_heads,
                                params, link("documents.detail", document_id=row.document_id)))
    return sweep(alerts, now)


def certificate_alerts(today: date, now: datetime) -> JobResult:
    """Department ISO certificates expiring within the lead times (coordinators)."""
    leads = days_setting("ALERT_CERTIFICATE_DAYS")
    departments = org.certificates_expiring(today, today + timedelta(days=max(leads)))
    staff = coordinators() if departments else []
    alerts = []
    for dept in departments:
        expires = dept.certificate_expires_on
        lead = lead_for((expires - today).days, leads)
        alerts.append(Alert("certificate_expiring",
                            f"department:{dept.id}:certificate:{expires}:{lead}d", staff,
                            {"number": dept.certificate_number or "—", "department_vi":
                             dept.name_vi, "department_en": dept.name_en, "expires": expires},
                            link("org.department", department_id=dept.id)))
    return sweep(alerts, now)


def external_check_alerts(today: date, now: datetime) -> JobResult:
    """External documents due for a check (is it still in force?) within the lead times, and
    once when the date has passed: the coordinators and the document's owner."""
    leads = days_setting("ALERT_EXTERNAL_CHECK_DAYS")
    rows = external.checks_due_by(today + timedelta(days=max(leads)))
    staff = coordinators() if rows else []
    alerts = []
    for row in rows:
        due = row.external_check_date
        days = (due - today).days
        people = sorted({*staff, row.owner_id})
        params = {**_doc_params(row), "number": row.legal_number or row.code, "due": due}
        target = partial(link, "documents.external.page", external_id=row.id)
        if days < 0:
            alerts.append(Alert("external_check_overdue", f"external:{row.id}:check:{due}:late",
                                people, params, target))
            continue
        lead = lead_for(days, leads)
        alerts.append(Alert("external_check_due", f"external:{row.id}:check:{due}:{lead}d",
                            people, params, target))
    return sweep(alerts, now)
