"""The audited department's side of a finding: the date it must answer by, and its answer."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.audits import rules
from compliance.audits.models import Audit, Finding
from compliance.audits.services.common import check_version, require_state
from compliance.core import clock
from compliance.core.db import get_child, utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db


def response_days() -> int:
    """Days the audited department has to answer a finding, counted from the report."""
    return int(current_app.config["FINDING_RESPONSE_DAYS"])


def get_finding(audit: Audit, finding_id: int) -> Finding:
    """A finding of this audit, or NotFound."""
    return get_child(db.session, Finding, finding_id, _("No such finding."), audit_id=audit.id)


def default_due_dates(audit: Audit) -> None:
    """At signing: each finding without a date of its own is due the report's day plus the
    organisation's response time."""
    due = clock.local_date(audit.reported_at) + timedelta(days=response_days())
    for finding in audit.findings:
        if finding.response_due_on is None:
            finding.response_due_on = due


def set_response_due(actor, audit: Audit, finding: Finding, *, due_on: date,
                     expected_version: int | None, today: date) -> Finding:
    """The auditor or a coordinator sets (or moves) the date a finding must be answered by."""
    rules.ensure(rules.may_set_due(actor, audit),
                 _("Only the auditors assigned to this audit can record it."))
    require_state(audit, "set_due")
    check_version(finding, expected_version)
    if finding.responded_at is not None:
        raise DomainError(_("This finding has been answered already."), status=409)
    if due_on < today:
        raise DomainError(_("The response due date cannot be in the past."),
                          field="response_due_on")
    before = finding.response_due_on
    finding.response_due_on = due_on
    db.session.flush()
    record(actor, "audit.finding_due", "audit", audit.id,
           before={"number": finding.number, "response_due_on": before},
           after={"number": finding.number, "response_due_on": due_on})
    return finding


def respond(actor, audit: Audit, finding: Finding, *, response: str) -> Finding:
    """The audited department answers a finding of the signed report, once."""
    rules.ensure(rules.may_respond(actor, audit),
                 _("Only the head of the audited department answers its findings."))
    require_state(audit, "respond")
    if finding.responded_at is not None:
        raise DomainError(_("This finding has been answered already."), status=409)
    text = (response or "").strip()
    if not text:
        raise DomainError(_("Write the department's response."), field="response")
    finding.response, finding.responded_at, finding.responded_by_id = text, utcnow(), actor.id
    db.session.flush()
    record(actor, "audit.finding_response", "audit", audit.id,
           after={"number": finding.number, "response": text,
                  "due": finding.response_due_on})
    return finding
