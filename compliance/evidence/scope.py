"""What a pack's scope covers: the documents in force, audits, corrective actions and events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import chain_head, organisation_of_event
from compliance.audits.models import Audit, Finding, audit_clause
from compliance.capa.models import CorrectiveAction
from compliance.core import clock, tenancy
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.documents.models import Document, Revision, document_clause
from compliance.org.models import Clause, Department

# Revisions that were once in force; superseded_at (or, for an obsolete document, its last
# update) closes their time in force.
ONCE_IN_FORCE = ("effective", "superseded", "obsolete")

# The inspection pack's scope (builder/inspection.py): the whole organisation's records of a
# period in date order.
INSPECTION = "inspection"


@dataclass
class Scope:
    """A resolved scope: its kind, the record it names, and what it reaches."""

    kind: str
    id: int | None
    label: str
    department_id: int | None = None
    clause_ids: list[int] = field(default_factory=list)


def resolve(kind: str, scope_id: int | None, locale: str) -> Scope:
    """Check the scope names a real record and describe it."""
    if kind == "organisation":
        return Scope(kind, None, _("Whole organisation"))
    if kind == INSPECTION:
        return Scope(kind, None, _("Inspection by the Department of Science and Technology"))
    if not scope_id:
        raise DomainError(_("Choose the department, audit or clause the pack covers."),
                          field="scope_id")
    if kind == "department":
        department = db.session.get(Department, scope_id)
        if department is None:
            raise NotFound(_("There is no department with this id."))
        return Scope(kind, department.id, f"{department.code} — {department.name(locale)}",
                     department_id=department.id)
    if kind == "audit":
        audit = db.session.get(Audit, scope_id)
        if audit is None:
            raise NotFound(_("There is no audit with this id."))
        return Scope(kind, audit.id, f"{audit.reference} — {audit.department.name(locale)}",
                     department_id=audit.department_id)
    if kind == "clause":
        clause = db.session.get(Clause, scope_id)
        if clause is None:
            raise NotFound(_("There is no ISO clause with this id."))
        return Scope(kind, clause.id, f"{clause.number} {clause.title(locale)}",
                     clause_ids=clause_family(clause))
    raise DomainError(_("Unknown kind of scope."), field="scope_kind")


def clause_family(clause: Clause) -> list[int]:
    """The clause and all its sub-clauses (8.5 reaches 8.5.1, 8.5.2 ...)."""
    return list(db.session.scalars(select(Clause.id).where(
        Clause.edition == clause.edition,
        or_(Clause.number == clause.number, Clause.number.like(clause.number + ".%")))))


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as UTC instants: from the start of the first day to the end of the last,
    in the organisation's time zone."""
    zone = clock.zone()
    return (datetime.combine(start, time.min, zone),
            datetime.combine(end + timedelta(days=1), time.min, zone))


def revisions_in_force(scope: Scope, start: date, end: date) -> list[Revision]:
    """Revisions in force at any time in the period, within the scope, by document code."""
    begin, _finish = day_bounds(start, end)
    query = (select(Revision).join(Revision.document)
             .where(Revision.status.in_(ONCE_IN_FORCE), Revision.effective_date.is_not(None),
                    Revision.effective_date <= end,
                    or_(Revision.superseded_at >= begin,
                        and_(Revision.superseded_at.is_(None), Revision.status != "obsolete"),
                        # An obsolete document cannot change again: its last update is the
                        # day it was withdrawn.
                        and_(Revision.superseded_at.is_(None), Document.updated_at >= begin)))
             .options(selectinload(Revision.approvals), selectinload(Revision.steps),
                      selectinload(Revision.document)
                      .selectinload(Document.clauses))
             .order_by(Document.code, Revision.number))
    if scope.kind in ("department", "audit"):
        query = query.where(Document.department_id == scope.department_id)
    elif scope.kind == "clause":
        query = query.where(Document.id.in_(select(document_clause.c.document_id).where(
            document_clause.c.clause_id.in_(scope.clause_ids))))
    return list(db.session.scalars(query))


def audits(scope: Scope, start: date, end: date) -> list[Audit]:
    """Audits of the scope whose planned dates meet the period (an audit scope: that audit)."""
    query = select(Audit).options(selectinload(Audit.items), selectinload(Audit.findings),
                                  selectinload(Audit.clauses)).order_by(Audit.planned_start,
                                                                        Audit.reference)
    if scope.kind == "audit":
        return list(db.session.scalars(query.where(Audit.id == scope.id)))
    query = query.where(Audit.planned_start <= end, Audit.planned_end >= start)
    if scope.kind == "department":
        query = query.where(Audit.department_id == scope.department_id)
    elif scope.kind == "clause":
        query = query.where(Audit.id.in_(select(audit_clause.c.audit_id).where(
            audit_clause.c.clause_id.in_(scope.clause_ids))))
    return list(db.session.scalars(query))


def corrective_actions(scope: Scope, start: date, end: date) -> list[CorrectiveAction]:
    """Corrective actions of the scope open at any time in the period."""
    query = (select(CorrectiveAction)
             .where(CorrectiveAction.raised_on <= end,
                    or_(CorrectiveAction.closed_on.is_(None), CorrectiveAction.closed_on >= start))
             .options(selectinload(CorrectiveAction.actions),
                      selectinload(CorrectiveAction.checks), selectinload(CorrectiveAction.whys),
                      selectinload(CorrectiveAction.closed_by))
             .order_by(CorrectiveAction.reference))
    if scope.kind == "department":
        query = query.where(CorrectiveAction.department_id == scope.department_id)
    elif scope.kind == "audit":
        query = query.where(CorrectiveAction.finding_id.in_(
            select(Finding.id).where(Finding.audit_id == scope.id)))
    elif scope.kind == "clause":
        query = query.where(CorrectiveAction.finding_id.in_(
            select(Finding.id).where(Finding.clause_id.in_(scope.clause_ids))))
    return list(db.session.scalars(query))


def trail_events(scope: Scope, start: date, end: date, entities: dict[str, set[int]],
                 limit: int = 20000) -> list[AuditEvent]:
    """Audit-trail events in the period about the entities in scope (all, for the whole
    organisation), oldest first."""
    begin, finish = day_bounds(start, end)
    query = (select(AuditEvent).where(AuditEvent.occurred_at >= begin,
                                      AuditEvent.occurred_at < finish)
             .order_by(AuditEvent.seq).limit(limit))
    # The trail's rows are not limited by the backstop (audit_trail.models): the pack's
    # organisation's chain only.
    organisation_id = tenancy.current_organisation_id()
    if organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == organisation_id)
    if scope.kind != "organisation":
        wanted = [and_(AuditEvent.entity_type == kind,
                       AuditEvent.entity_id.in_([str(i) for i in sorted(ids)]))
                  for kind, ids in entities.items() if ids]
        if not wanted:
            return []
        query = query.where(or_(*wanted))
    return list(db.session.scalars(query))


def trail_head() -> tuple[int, str] | None:
    """The last event of the pack's organisation's chain: its position and hash."""
    return chain_head(organisation_of_event(None))
