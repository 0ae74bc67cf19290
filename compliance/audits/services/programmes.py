"""Audit programmes: the plan of internal audits for a period."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.audits import rules
from compliance.audits.models import AuditProgramme
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db


def get_programme(programme_id: int, for_update: bool = False) -> AuditProgramme:
    """Load a programme or raise NotFound."""
    programme = db.session.get(AuditProgramme, programme_id, with_for_update=for_update)
    if programme is None:
        raise NotFound(_("No such audit programme."))
    return programme


def create_programme(actor, *, title: str, period_start: date, period_end: date,
                     notes: str = "") -> AuditProgramme:
    """Open an audit programme for a period."""
    rules.ensure(rules.may_plan(actor))
    if period_end < period_start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    programme = AuditProgramme(title=title.strip(), period_start=period_start,
                               period_end=period_end, notes=(notes or "").strip())
    db.session.add(programme)
    db.session.flush()
    record(actor, "programme.create", "audit_programme", programme.id,
           after={"title": programme.title, "period_start": period_start,
                  "period_end": period_end})
    return programme
