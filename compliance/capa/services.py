"""Corrective actions: raise, contain, analyse, act, verify, close (DESIGN §5)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.audits.models import FindingGrade
from compliance.auth.models import User
from compliance.auth.permissions import can, roles_of
from compliance.capa.models import (
    ISHIKAWA,
    SOURCES,
    Action,
    CorrectiveAction,
    CorrectiveFile,
    EffectivenessCheck,
    WhyStep,
)
from compliance.core import signals
from compliance.core.counters import next_value
from compliance.core.db import utcnow
from compliance.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.core.files import accept_upload
from compliance.org.models import Department

VERIFIER_ROLES = frozenset({"admin", "coordinator", "auditor"})
MAX_WHYS = 5


# Who may do what ---------------------------------------------------------------------------

def may_read(user, ca: CorrectiveAction) -> bool:
    """Readers of the department, the owners of its actions and its verifier."""
    return (can(user, "corrective.read", ca.department_id) or user.id == ca.verifier_id
            or any(a.owner_id == user.id for a in ca.actions))


def may_manage(user, ca: CorrectiveAction) -> bool:
    """Coordinators everywhere, department heads in their own department."""
    return can(user, "corrective.manage", ca.department_id)


def may_verify(user, ca: CorrectiveAction) -> bool:
    """Coordinators, or the verifier named on the corrective action."""
    return can(user, "corrective.verify") or (ca.verifier_id is not None
                                              and user.id == ca.verifier_id)


def ensure_manage(user, ca: CorrectiveAction) -> None:
    """Refuse unless the user manages corrective actions of this department."""
    if not may_manage(user, ca):
        raise PermissionDenied(_("Only a coordinator or the head of the department can do this."))


def ensure_verify(user, ca: CorrectiveAction) -> None:
    """Refuse unless the user may verify this corrective action."""
    if not may_verify(user, ca):
        raise PermissionDenied(_("Only a coordinator or the verifier of this corrective action "
                                 "can do this."))


def require_state(ca: CorrectiveAction, *states: str) -> None:
    if ca.status not in states:
        from compliance.capa.forms import STATE_LABELS

        raise DomainError(_("This cannot be done while the corrective action is %(state)s.",
                            state=str(STATE_LABELS[ca.status]).lower()), status=409)


def check_version(ca: CorrectiveAction, expected: int | None) -> None:
    if expected is not None and expected != ca.version:
        raise Conflict(_("Someone else changed this corrective action while you were editing "
                         "it. Reload the page and apply your change again."))


def get(ca_id: int, for_update: bool = False) -> CorrectiveAction:
    """Load a corrective action or raise NotFound."""
    lock = {"of": CorrectiveAction} if for_update else None
    ca = db.session.get(CorrectiveAction, ca_id, with_for_update=lock)
    if ca is None:
        raise NotFound(_("No such corrective action."))
    return ca


def get_action(ca: CorrectiveAction, action_id: int) -> Action:
    """An action of this corrective action, or NotFound."""
    action = db.session.get(Action, action_id)
    if action is None or action.corrective_action_id != ca.id:
        raise NotFound(_("No such action."))
    return action


# Raising -----------------------------------------------------------------------------------

def _verifier(verifier_id: int | None) -> User | None:
    if not verifier_id:
        return None
    user = db.session.get(User, verifier_id)
    if user is None or not user.active or not set(user.global_roles) & VERIFIER_ROLES:
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
    if not can(actor, "corrective.manage", department_id):
        raise PermissionDenied(_("You may raise corrective actions only for your own "
                                 "department."))
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
    verifier_id = author.id if author and set(author.global_roles) & VERIFIER_ROLES else None
    problem = f"{finding.reference}: {finding.description}"
    return _new(actor, today=today, source="finding", department_id=finding.audit.department_id,
                grade=finding.grade, problem=problem, verifier_id=verifier_id,
                finding_id=finding.id)


def _on_finding_raised(finding, actor=None, **_extra) -> None:
    from compliance.core import clock

    raise_from_finding(finding, actor or db.session.get(User, finding.created_by_id),
                       clock.today())


def connect_signals() -> None:
    """Listen for findings that call for corrective action (connecting twice is harmless)."""
    signals.finding_raised.connect(_on_finding_raised)


# Containment and analysis ------------------------------------------------------------------

def contain(actor, ca: CorrectiveAction, *, correction: str, corrected_on: date, today: date,
            expected_version: int | None = None) -> CorrectiveAction:
    """open → contained: the immediate correction and when it was made."""
    ensure_manage(actor, ca)
    require_state(ca, "open")
    check_version(ca, expected_version)
    if not (correction or "").strip():
        raise DomainError(_("Describe the correction made."), field="correction")
    if corrected_on is None or corrected_on > today:
        raise DomainError(_("The correction date cannot be in the future."),
                          field="corrected_on")
    ca.correction, ca.corrected_on, ca.status = correction.strip(), corrected_on, "contained"
    db.session.flush()
    record(actor, "corrective.contain", "corrective_action", ca.id, before={"status": "open"},
           after={"status": ca.status, "correction": ca.correction,
                  "corrected_on": corrected_on})
    return ca


def analyse(actor, ca: CorrectiveAction, *, whys: list[str], ishikawa: str, extent: str,
            affected_ids: list[int], expected_version: int | None = None) -> CorrectiveAction:
    """contained → analysed: 5-why chain, Ishikawa category, extent and other departments."""
    ensure_manage(actor, ca)
    require_state(ca, "contained")
    check_version(ca, expected_version)
    answers = [w.strip() for w in whys if (w or "").strip()]
    if len(answers) > MAX_WHYS:
        raise DomainError(_("The 5-why chain has at most five steps."), field="whys")
    if ca.grade_rule.requires_root_cause and not answers:
        raise DomainError(_("This grade needs the root cause: answer at least the first "
                            "'why?'."), field="whys")
    if ishikawa not in ISHIKAWA:
        raise DomainError(_("Choose the Ishikawa category of the root cause."),
                          field="ishikawa")
    if not (extent or "").strip():
        raise DomainError(_("Say whether this could occur elsewhere."), field="extent")
    affected = [d for d in (db.session.get(Department, i) for i in set(affected_ids or []))
                if d is not None and d.id != ca.department_id]
    ca.whys = [WhyStep(position=n, answer=a) for n, a in enumerate(answers, start=1)]
    ca.ishikawa, ca.extent, ca.affected = ishikawa, extent.strip(), affected
    ca.status = "analysed"
    db.session.flush()
    record(actor, "corrective.analyse", "corrective_action", ca.id,
           before={"status": "contained"},
           after={"status": ca.status, "whys": answers, "ishikawa": ishikawa,
                  "extent": ca.extent, "affected": sorted(d.code for d in affected)})
    return ca


# Actions -----------------------------------------------------------------------------------

def add_action(actor, ca: CorrectiveAction, *, description: str, owner_id: int, due_on: date,
               today: date, document_id: int | None = None) -> Action:
    """Plan an action; the first one starts the plan. It may ask for a document revision."""
    ensure_manage(actor, ca)
    require_state(ca, "analysed", "actions_in_progress")
    if not (description or "").strip():
        raise DomainError(_("Describe the action."), field="description")
    owner = db.session.get(User, owner_id or 0)
    if owner is None or not owner.active:
        raise DomainError(_("Choose who carries out the action."), field="owner_id")
    if due_on is None or due_on < today:
        raise DomainError(_("The due date cannot be in the past."), field="due_on")
    action = Action(corrective_action_id=ca.id, description=description.strip(),
                    owner_id=owner.id, due_on=due_on, status="open", created_by_id=actor.id,
                    created_at=utcnow())
    if document_id:
        from compliance.documents import services as documents

        document = documents.get_document(document_id, for_update=True)
        if not can(actor, "documents.draft", document.department_id):
            raise PermissionDenied(_("You may not revise this document."))
        summary = _("Revision requested by corrective action %(reference)s: %(action)s",
                    reference=ca.reference, action=action.description)
        revision = documents.reopen_from_effective(actor, document, summary[:2000])
        action.document_id, action.revision_id = document.id, revision.id
    before = ca.status
    ca.status = "actions_in_progress"
    db.session.add(action)
    db.session.flush()
    record(actor, "corrective.action_add", "corrective_action", ca.id,
           before={"status": before}, after={"status": ca.status, **action.snapshot()})
    return action


def store_file(actor, ca: CorrectiveAction, stream, filename: str, *, action: Action | None = None,
           check: EffectivenessCheck | None = None) -> CorrectiveFile:
    upload = accept_upload(stream, filename)
    stored = CorrectiveFile(corrective_action_id=ca.id, action=action, check=check,
                            blob_sha256=upload.sha256, file_size=upload.size,
                            file_kind=upload.kind.name, filename=upload.filename,
                            added_by_id=actor.id, added_at=utcnow())
    db.session.add(stored)
    db.session.flush()
    return stored


def add_file(actor, ca: CorrectiveAction, stream, filename: str) -> CorrectiveFile:
    """An evidence file about the nonconformity itself."""
    ensure_manage(actor, ca)
    require_state(ca, "open", "contained", "analysed", "actions_in_progress", "verifying")
    stored = store_file(actor, ca, stream, filename)
    record(actor, "corrective.file", "corrective_action", ca.id,
           after={"sha256": stored.blob_sha256, "filename": stored.filename})
    return stored


def complete_action(actor, ca: CorrectiveAction, action: Action, *, today: date, note: str,
                    stream=None, filename: str = "") -> Action:
    """The owner (or a manager) marks an action done; the last one schedules the check."""
    if action.owner_id != actor.id and not may_manage(actor, ca):
        raise PermissionDenied(_("Only the owner of the action or a manager of the corrective "
                                 "action can mark it done."))
    require_state(ca, "actions_in_progress")
    if action.status == "done":
        raise DomainError(_("This action is already done."), status=409)
    if stream is not None:
        stored = store_file(actor, ca, stream, filename, action=action)
        record(actor, "corrective.file", "corrective_action", ca.id,
               after={"action": action.id, "sha256": stored.blob_sha256,
                      "filename": stored.filename})
    action.status, action.done_on, action.done_note = "done", today, (note or "").strip()
    db.session.flush()
    record(actor, "corrective.action_done", "corrective_action", ca.id,
           before={"action": action.id, "status": "open"},
           after={"action": action.id, "status": "done", "done_on": today,
                  "note": action.done_note})
    if all(a.status == "done" for a in ca.actions):
        from compliance.capa.verification import schedule_check

        schedule_check(actor, ca, today)
    return action


def verifier_choices() -> list[User]:
    """People who may be named verifier."""
    from compliance.auth.models import UserRole

    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role.in_(VERIFIER_ROLES))
        .distinct().order_by(User.name)))


def managed_department_ids(user) -> set[int] | None:
    """Departments the user may raise corrective actions for (None: all of them)."""
    if roles_of(user) & {"admin", "coordinator"}:
        return None
    return user.department_ids("department_head")
