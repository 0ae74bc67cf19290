"""Planning an audit: scope, dates, team, and the independence rule; cancelling and
rescheduling one that has not been reported.

Signals sent (compliance.core.signals):
- `audit_cancelled`: sender the Audit, keywords `actor`, `reason`.
- `audit_rescheduled`: sender the Audit, keywords `actor`, `reason`, `before` (the
  (planned_start, planned_end) it had).
The notifications domain tells the audited department's heads and the auditors.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.audits import rules
from compliance.audits.models import Audit, AuditProgramme
from compliance.audits.services.common import check_version, require_state
from compliance.auth.models import Membership, User
from compliance.core import signals
from compliance.core.counters import next_value
from compliance.core.db import utcnow
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.org.models import Clause, Department, Process


def get_audit(audit_id: int, for_update: bool = False) -> Audit:
    """Load an audit or raise NotFound."""
    lock = {"of": Audit} if for_update else None
    audit = db.session.get(Audit, audit_id, with_for_update=lock)
    if audit is None:
        raise NotFound(_("No such audit."))
    return audit


def get_readable_audit(actor, audit_id: int, for_update: bool = False) -> Audit:
    """Load an audit the actor may read, or refuse (404 if missing, 403 if hidden)."""
    audit = get_audit(audit_id, for_update=for_update)
    rules.ensure_read(actor, audit)
    return audit


def check_independence(department_id: int, user_ids, lead_id: int | None = None) -> None:
    """Refuse an auditor who belongs to the audited department, naming them and why."""
    members = db.session.execute(
        select(User.id, User.name).join(Membership, Membership.user_id == User.id)
        .where(Membership.department_id == department_id, User.id.in_(set(user_ids)))
    ).all()
    if members:
        names = sorted({name for _id, name in members})
        field = "lead_auditor_id" if lead_id in {i for i, _name in members} else "team_ids"
        raise DomainError(_("%(names)s cannot audit this department: an auditor may not audit "
                            "a department they belong to.", names=", ".join(names)),
                          field=field)


def _check_auditors(lead_id: int, team_ids) -> tuple[User, list[User]]:
    ids = {lead_id} | set(team_ids)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    if set(people) != ids:
        raise NotFound(_("No such user."))
    for person in people.values():
        if not rules.is_auditor(person):
            raise DomainError(_("%(name)s is not an auditor.", name=person.name),
                              field="lead_auditor_id" if person.id == lead_id else "team_ids")
    return people[lead_id], [people[i] for i in sorted(set(team_ids) - {lead_id})]


def _rows(model, ids, message: str, field: str) -> list:
    ids = {int(i) for i in ids or ()}
    found = list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []
    if len(found) != len(ids):
        raise DomainError(message, field=field)
    return found


def _apply_scope(audit: Audit, fields: dict) -> None:
    if fields["planned_end"] < fields["planned_start"]:
        raise DomainError(_("The audit ends before it starts."), field="planned_end")
    department = db.session.get(Department, fields["department_id"])
    if department is None:
        raise NotFound(_("No such department."))
    lead, team = _check_auditors(fields["lead_auditor_id"], fields.get("team_ids") or ())
    check_independence(department.id, {lead.id} | {u.id for u in team}, lead_id=lead.id)
    clauses = _rows(Clause, fields.get("clause_ids"), _("Unknown ISO clause."), "clause_ids")
    if not clauses:
        raise DomainError(_("Choose at least one ISO clause for the scope."), field="clause_ids")
    processes = _rows(Process, fields.get("process_ids"), _("No such process."), "process_ids")
    if any(p.department_id != department.id for p in processes):
        raise DomainError(_("Choose processes of the audited department only."),
                          field="process_ids")
    audit.department_id, audit.lead_auditor_id = department.id, lead.id
    audit.team, audit.clauses, audit.processes = team, clauses, processes
    audit.planned_start, audit.planned_end = fields["planned_start"], fields["planned_end"]
    audit.criteria = (fields.get("criteria") or "").strip()
    audit.scope_note = (fields.get("scope_note") or "").strip()


def plan_audit(actor, programme: AuditProgramme, **fields) -> Audit:
    """Plan an audit of a department within a programme."""
    rules.ensure(rules.may_plan(actor, programme))
    year = fields["planned_start"].year
    number = next_value(f"audit:{year}", programme.organisation_id)
    audit = Audit(programme_id=programme.id, status="planned",
                  organisation_id=programme.organisation_id, reference=f"DG-{year}-{number:02d}")
    _apply_scope(audit, fields)
    db.session.add(audit)
    db.session.flush()
    record(actor, "audit.plan", "audit", audit.id, after=audit.snapshot())
    return audit


def update_audit(actor, audit: Audit, expected_version: int | None, **fields) -> Audit:
    """Change a planned audit; once it has started its scope is fixed."""
    rules.ensure(rules.may_edit(actor, audit))
    if audit.status not in rules.STATES_FOR["edit"]:
        raise DomainError(_("Only a planned audit can be changed."), status=409)
    _check_audit_version(audit, expected_version)
    before = audit.snapshot()
    _apply_scope(audit, fields)
    db.session.flush()
    record(actor, "audit.update", "audit", audit.id, before=before, after=audit.snapshot())
    return audit


def _check_audit_version(audit: Audit, expected_version: int | None) -> None:
    check_version(audit, expected_version,
                  _("Someone else changed this audit while you were editing it. "
                    "Reload the page and apply your change again."))


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason."), field="reason")
    return reason


def cancel_audit(actor, audit: Audit, *, reason: str, expected_version: int | None) -> Audit:
    """planned or in progress → cancelled, with the reason; the department and the auditors
    are told."""
    rules.ensure(rules.may_cancel(actor, audit))
    require_state(audit, "cancel")
    _check_audit_version(audit, expected_version)
    reason, was = _reason(reason), audit.status
    audit.status, audit.cancelled_at, audit.cancellation_reason = "cancelled", utcnow(), reason
    db.session.flush()
    record(actor, "audit.cancel", "audit", audit.id,
           before={"status": was}, after={"status": "cancelled", "reason": reason})
    signals.audit_cancelled.send(audit, actor=actor, reason=reason)
    return audit


def reschedule_audit(actor, audit: Audit, *, planned_start: date, planned_end: date,
                     reason: str, expected_version: int | None) -> Audit:
    """New dates for an audit that has not been reported, with the reason; the department
    and the auditors are told. The reference keeps its year."""
    rules.ensure(rules.may_reschedule(actor, audit))
    require_state(audit, "reschedule")
    _check_audit_version(audit, expected_version)
    if planned_end < planned_start:
        raise DomainError(_("The audit ends before it starts."), field="planned_end")
    before = (audit.planned_start, audit.planned_end)
    if before == (planned_start, planned_end):
        raise DomainError(_("These are the dates already planned."), field="planned_start")
    reason = _reason(reason)
    audit.planned_start, audit.planned_end = planned_start, planned_end
    db.session.flush()
    record(actor, "audit.reschedule", "audit", audit.id,
           before={"planned_start": before[0], "planned_end": before[1]},
           after={"planned_start": planned_start, "planned_end": planned_end,
                  "reason": reason})
    signals.audit_rescheduled.send(audit, actor=actor, reason=reason, before=before)
    return audit
