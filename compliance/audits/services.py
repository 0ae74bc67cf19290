"""Planning audits: programmes, scope, team and the independence rule."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.audits.models import Audit, AuditProgramme
from compliance.auth.models import Membership, User
from compliance.auth.permissions import ensure
from compliance.core.counters import next_value
from compliance.core.errors import Conflict, DomainError, NotFound
from compliance.core.extensions import db
from compliance.org.models import Clause, Department, Process

AUDITOR_ROLES = frozenset({"auditor", "coordinator", "admin"})


def get_programme(programme_id: int, for_update: bool = False) -> AuditProgramme:
    """Load a programme or raise NotFound."""
    programme = db.session.get(AuditProgramme, programme_id, with_for_update=for_update)
    if programme is None:
        raise NotFound(_("No such audit programme."))
    return programme


def get_audit(audit_id: int, for_update: bool = False) -> Audit:
    """Load an audit or raise NotFound."""
    lock = {"of": Audit} if for_update else None
    audit = db.session.get(Audit, audit_id, with_for_update=lock)
    if audit is None:
        raise NotFound(_("No such audit."))
    return audit


def create_programme(actor, *, title: str, period_start: date, period_end: date,
                     notes: str = "") -> AuditProgramme:
    """Open an audit programme for a period."""
    ensure(actor, "audits.plan")
    if period_end < period_start:
        raise DomainError(_("The period ends before it starts."))
    programme = AuditProgramme(title=title.strip(), period_start=period_start,
                               period_end=period_end, notes=(notes or "").strip())
    db.session.add(programme)
    db.session.flush()
    record(actor, "programme.create", "audit_programme", programme.id,
           after={"title": programme.title, "period_start": period_start,
                  "period_end": period_end})
    return programme


def check_independence(department_id: int, user_ids) -> None:
    """Refuse an auditor who belongs to the audited department, naming them and why."""
    members = db.session.execute(
        select(User.name).join(Membership, Membership.user_id == User.id)
        .where(Membership.department_id == department_id, User.id.in_(set(user_ids)))
    ).scalars().all()
    if members:
        raise DomainError(_("%(names)s cannot audit this department: an auditor may not audit "
                            "a department they belong to.", names=", ".join(sorted(members))),
                          status=409)


def _check_auditors(lead_id: int, team_ids) -> tuple[User, list[User]]:
    ids = {lead_id} | set(team_ids)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    if set(people) != ids:
        raise NotFound(_("No such user."))
    for person in people.values():
        if not person.active or not (person.global_roles & AUDITOR_ROLES):
            raise DomainError(_("%(name)s is not an auditor.", name=person.name))
    return people[lead_id], [people[i] for i in sorted(set(team_ids) - {lead_id})]


def _rows(model, ids, message: str) -> list:
    ids = {int(i) for i in ids or ()}
    found = list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []
    if len(found) != len(ids):
        raise DomainError(message)
    return found


def _apply_scope(audit: Audit, fields: dict) -> None:
    if fields["planned_end"] < fields["planned_start"]:
        raise DomainError(_("The audit ends before it starts."))
    department = db.session.get(Department, fields["department_id"])
    if department is None:
        raise NotFound(_("No such department."))
    lead, team = _check_auditors(fields["lead_auditor_id"], fields.get("team_ids") or ())
    check_independence(department.id, {lead.id} | {u.id for u in team})
    clauses = _rows(Clause, fields.get("clause_ids"), _("Unknown ISO clause."))
    if not clauses:
        raise DomainError(_("Choose at least one ISO clause for the scope."))
    processes = _rows(Process, fields.get("process_ids"), _("No such process."))
    if any(p.department_id != department.id for p in processes):
        raise DomainError(_("Choose processes of the audited department only."))
    audit.department_id, audit.lead_auditor_id = department.id, lead.id
    audit.team, audit.clauses, audit.processes = team, clauses, processes
    audit.planned_start, audit.planned_end = fields["planned_start"], fields["planned_end"]
    audit.criteria = (fields.get("criteria") or "").strip()
    audit.scope_note = (fields.get("scope_note") or "").strip()


def plan_audit(actor, programme: AuditProgramme, **fields) -> Audit:
    """Plan an audit of a department within a programme."""
    ensure(actor, "audits.plan")
    year = fields["planned_start"].year
    audit = Audit(programme_id=programme.id, status="planned",
                  reference=f"DG-{year}-{next_value(f'audit:{year}'):02d}")
    _apply_scope(audit, fields)
    db.session.add(audit)
    db.session.flush()
    record(actor, "audit.plan", "audit", audit.id, after=audit.snapshot())
    return audit


def update_audit(actor, audit: Audit, expected_version: int | None, **fields) -> Audit:
    """Change a planned audit; once it has started its scope is fixed."""
    ensure(actor, "audits.plan")
    if audit.status != "planned":
        raise DomainError(_("Only a planned audit can be changed."), status=409)
    if expected_version is not None and expected_version != audit.version:
        raise Conflict(_("Someone else changed this audit while you were editing it. "
                         "Reload the page and apply your change again."))
    before = audit.snapshot()
    _apply_scope(audit, fields)
    db.session.flush()
    record(actor, "audit.update", "audit", audit.id, before=before, after=audit.snapshot())
    return audit
