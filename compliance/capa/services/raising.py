"""Raising a corrective action: by hand, or for an audit finding that calls for one."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.audits.models import FindingGrade
from compliance.auth.models import User
from compliance.capa import rules
from compliance.capa.models import SOURCES, CorrectiveAction
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


def _new(actor, *, today: date, source: str, department_id: int, grade: str, problem: str,
         verifier_id: int | None, finding_id: int | None = None) -> CorrectiveAction:
    if source not in SOURCES:
        raise DomainError(_("Choose where the nonconformity comes from."), field="source")
    department = db.session.get(Department, department_id or 0)
    if department is None:
        raise DomainError(_("Choose a department."), field="department_id")
    if db.session.get(FindingGrade, grade or "") is None:
        raise DomainError(_("Unknown grade."), field="grade")
    if not (problem or "").strip():
        raise DomainError(_("Describe the nonconformity."), field="problem")
    verifier = _verifier(verifier_id)
    year = today.year
    ca = CorrectiveAction(
        reference=f"HDKP-{year}-{next_value(f'corrective_action:{year}'):03d}",
        source=source, finding_id=finding_id, department_id=department.id, grade=grade,
        problem=problem.strip(), status="open", raised_by_id=actor.id, raised_on=today,
        verifier_id=verifier.id if verifier else None)
    db.session.add(ca)
    db.session.flush()
    record(actor, "corrective.raise", "corrective_action", ca.id, after=ca.snapshot())
    return ca


def raise_by_hand(actor, *, today: date, source: str, department_id: int, grade: str,
                  problem: str, verifier_id: int | None = None) -> CorrectiveAction:
    """A nonconformity raised from a complaint, a process problem or anything else."""
    rules.ensure_raise(actor, department_id)
    if source == "finding":
        raise DomainError(_("Corrective actions for audit findings are raised with the "
                            "finding."), field="source")
    return _new(actor, today=today, source=source, department_id=department_id, grade=grade,
                problem=problem, verifier_id=verifier_id)


def raise_from_finding(finding, actor, today: date) -> CorrectiveAction:
    """The corrective action a finding calls for; its auditor verifies it later."""
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
