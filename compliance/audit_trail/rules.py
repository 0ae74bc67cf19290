"""The rule book of the audit trail: which events a person may see."""

from __future__ import annotations

from sqlalchemy import Select

from compliance.audit_trail.models import AuditEvent
from compliance.core import tenancy


def visible_events(user, stmt: Select) -> Select:
    """The events of the person's own organisation (the chain is still one for the
    installation, so the backstop of core.tenancy does not limit it: this rule does)."""
    return tenancy.in_organisation(user, stmt, AuditEvent)
