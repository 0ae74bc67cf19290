"""Audit programmes: the plan of internal audits for a period."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.audits import rules
from compliance.audits.models import AuditProgramme
from compliance.audits.services.common import check_version
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


def _snapshot(programme: AuditProgramme) -> dict:
    return {"title": programme.title, "period_start": programme.period_start,
            "period_end": programme.period_end, "notes": programme.notes}


def update_programme(actor, programme: AuditProgramme, expected_version: int | None, *,
                     title: str, period_start: date, period_end: date,
                     notes: str = "") -> AuditProgramme:
    """Change a programme's title, period and notes; the editor's version must be current."""
    rules.ensure(rules.may_edit_programme(actor, programme))
    check_version(programme, expected_version,
                  _("Someone else changed this audit programme while you were editing it. "
                    "Reload the page and apply your change again."))
    if period_end < period_start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if not (title or "").strip():
        raise DomainError(_("Give the programme a title."), field="title")
    before = _snapshot(programme)
    programme.title, programme.notes = title.strip(), (notes or "").strip()
    programme.period_start, programme.period_end = period_start, period_end
    db.session.flush()
    record(actor, "programme.update", "audit_programme", programme.id, before=before,
           after=_snapshot(programme))
    return programme
