"""Raising a corrective action: by hand, or for an audit finding that calls for one.

Sends `core.signals.corrective_action_raised` (sender: the CorrectiveAction; keyword `actor`:
who raised it, or who recorded the finding) once the corrective action is flushed, so the
department's heads hear of it at once (notifications.handlers)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.audits.models import FindingGrade
from compliance.auth.models import User
from compliance.capa import rules
from compliance.capa.models import SOURCES, CorrectiveAction
from compliance.core import signals
from compliance.core.counters import next_value
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.org.models import Department


def _verifier(verifier_id: int | None) -> User | None:
    if not verifier_id:
        return None
    user = db.session.get(User, verifier_id)
    if not rules.may_be_verifier(user):
        raise DomainError(_("The verifier must be an active coordinator, auditor or "
                            "administrator."), field="verifier_id")
    return user


def _target(grade: FindingGrade, today: date, target_on: date | None) -> date | None:
    # A date given by hand wins; otherwise the grade's rule, if it has one.
    if target_on is not None:
        if target_on < today:
            raise DomainError(_("The target date cannot be in the past."), field="target_on")
        return target_on
    days = grade.corrective_action_days
    return today + timedelta(days=days) if days else None


def _new(actor, *, today: date, source: str, department_id: int, grade: str, problem: str,
         verifier_id: int | None, finding_id: int | None = None,
         target_on: date | None = None,
         measure_value_id: int | None = None) -> CorrectiveAction:
    if source not in SOURCES:
        raise DomainError(_("Choose where the nonconformity comes from."), field="source")
    department = db.session.get(Department, department_id or 0)
    if department is None:
        raise DomainError(_("Choose a department."), field="department_id")
    rule = db.session.get(FindingGrade, (department.organisation_id, (grade or "")[:16]))
    if rule is None:
        raise DomainError(_("Unknown grade."), field="grade")
    if not (problem or "").strip():
        raise DomainError(_("Describe the nonconformity."), field="problem")
    verifier = _verifier(verifier_id)
    target = _target(rule, today, target_on)
    year = today.year
    number = next_value(f"corrective_action:{year}", department.organisation_id)
    ca = CorrectiveAction(
        reference=f"HDKP-{year}-{number:03d}", organisation_id=department.organisation_id,
        source=source, finding_id=finding_id, measure_value_id=measure_value_id,
        department_id=department.id, grade=grade,
        problem=problem.strip(), status="open", raised_by_id=actor.id, raised_on=today,
        target_on=target, verifier_id=verifier.id if verifier else None)
    db.session.add(ca)
    db.session.flush()
    record(actor, "corrective.raise", "corrective_action", ca.id, after=ca.snapshot())
    signals.corrective_action_raised.send(ca, actor=actor)
    return ca


def raise_by_hand(actor, *, today: date, source: str, department_id: int, grade: str,
                  problem: str, verifier_id: int | None = None,
                  target_on: date | None = None,
                  measure_value_id: int | None = None) -> CorrectiveAction:
    """A nonconformity raised from a complaint, a process problem or anything else; without a
    target date it takes the grade's. `measure_value_id` names the value of a process measure
    that missed its target (source "process"); one corrective action per value."""
    rules.ensure_raise(actor, department_id)
    if source == "finding":
        raise DomainError(_("Corrective actions for audit findings are raised with the "
                            "finding."), field="source")
    if measure_value_id is not None:
        if source != "process":
            raise DomainError(_("A corrective action for a measure comes from a process."),
                              field="source")
        existing = db.session.scalar(select(CorrectiveAction.reference).where(
            CorrectiveAction.measure_value_id == measure_value_id))
        if existing is not None:
            raise DomainError(_("Corrective action %(reference)s is already raised for this "
                                "value.", reference=existing), status=409)
    return _new(actor, today=today, source=source, department_id=department_id, grade=grade,
                problem=problem, verifier_id=verifier_id, target_on=target_on,
                measure_value_id=measure_value_id)


def raise_from_finding(finding, actor, today: date) -> CorrectiveAction:
    """The corrective action a finding calls for, due by its grade's target; its auditor
    verifies it later."""
    existing = db.session.scalar(select(CorrectiveAction)
                                 .where(CorrectiveAction.finding_id == finding.id))
    if existing is not None:
        return existing
    author = db.session.get(User, finding.created_by_id)
    verifier_id = author.id if author and set(author.global_roles) & rules.VERIFIER_ROLES \
        else None
    problem = f"{finding.reference}: {finding.description}"
    return _new(actor, today=today, source="finding", department_id=finding.audit.department_id,
                grade=finding.grade, problem=problem, verifier_id=verifier_id,
                finding_id=finding.id)
