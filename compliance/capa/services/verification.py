"""Verifying corrective actions: the effectiveness check, its result, and closure.

Closure is not a signature: it re-checks no password, so it does not go through
`auth.reauth` (the verifier's session is the proof, as for every other step).

Both closings send `core.signals.corrective_action_closed` (sender: the CorrectiveAction;
keyword `actor`) once flushed and recorded."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.capa import rules
from compliance.capa.models import CorrectiveAction, EffectivenessCheck
from compliance.capa.services.common import check_version, require_state
from compliance.capa.services.files import store_file
from compliance.core import signals
from compliance.core.errors import DomainError
from compliance.core.extensions import db


def schedule_check(actor, ca: CorrectiveAction, today: date) -> EffectivenessCheck:
    """actions in progress → verifying: a check at today + the grade's delay."""
    due_on = today + timedelta(days=ca.grade_rule.effectiveness_check_days)
    check = EffectivenessCheck(corrective_action_id=ca.id, due_on=due_on,
                               verifier_id=ca.verifier_id, status="pending")
    db.session.add(check)
    ca.status = "verifying"
    db.session.flush()
    record(actor, "corrective.check_scheduled", "corrective_action", ca.id,
           before={"status": "actions_in_progress"},
           after={"status": ca.status, "check_due_on": due_on, "verifier_id": ca.verifier_id})
    return check


def record_check(actor, ca: CorrectiveAction, *, effective: bool, notes: str, today: date,
                 stream=None, filename: str = "") -> EffectivenessCheck:
    """The verifier's judgement; a failed check reopens the action plan."""
    rules.ensure_verify(actor, ca)
    require_state(ca, "verifying")
    check = ca.current_check
    if check is None or check.status != "pending":
        raise DomainError(_("No effectiveness check is waiting for a result."), status=409)
    if not (notes or "").strip():
        raise DomainError(_("Say what you checked and what you found."), field="notes")
    if effective and stream is None and ca.grade_rule.requires_effectiveness_evidence \
            and not check.files:
        raise DomainError(_("This grade needs evidence of effectiveness: attach a file."),
                          field="file")
    if stream is not None:
        stored = store_file(actor, ca, stream, filename, check=check)
        record(actor, "corrective.file", "corrective_action", ca.id,
               after={"check": check.id, "sha256": stored.blob_sha256,
                      "filename": stored.filename})
    check.status = "effective" if effective else "not_effective"
    check.notes, check.recorded_by_id, check.recorded_on = notes.strip(), actor.id, today
    if not effective:
        ca.status = "actions_in_progress"
    db.session.flush()
    record(actor, "corrective.check", "corrective_action", ca.id,
           before={"status": "verifying"},
           after={"status": ca.status, "check": check.id, "result": check.status,
                  "notes": check.notes})
    return check


def plan_complete(ca: CorrectiveAction) -> bool:
    """No action left open, and at least one done (cancelled ones do not count)."""
    return (all(a.status != "open" for a in ca.actions)
            and any(a.status == "done" for a in ca.actions))


def closure_problems(ca: CorrectiveAction) -> list[str]:
    """What still stands in the way of closing (empty when it can be closed)."""
    problems = []
    if not plan_complete(ca):
        problems.append(_("Every action must be done (or cancelled), and at least one done."))
    check = ca.current_check
    if check is None or check.status != "effective":
        problems.append(_("The effectiveness check must have found the actions effective."))
    if ca.grade_rule.requires_root_cause and not ca.whys:
        problems.append(_("This grade needs the root cause (a 5-why chain)."))
    if ca.grade_rule.requires_effectiveness_evidence and not (check and check.files):
        problems.append(_("This grade needs an evidence file on the effectiveness check."))
    return problems


def close(actor, ca: CorrectiveAction, *, note: str, today: date,
          expected_version: int | None) -> CorrectiveAction:
    """verifying → closed, once every rule of the grade is met."""
    rules.ensure_verify(actor, ca)
    require_state(ca, "verifying")
    check_version(ca, expected_version)
    problems = closure_problems(ca)
    if problems:
        raise DomainError(" ".join(problems), status=409)
    before = ca.status
    ca.status, ca.closed_on, ca.closure_note = "closed", today, (note or "").strip()
    ca.closed_by_id = actor.id
    db.session.flush()
    record(actor, "corrective.close", "corrective_action", ca.id, before={"status": before},
           after={"status": "closed", "closed_on": today, "closed_by_id": actor.id,
                  "note": ca.closure_note})
    signals.corrective_action_closed.send(ca, actor=actor)
    return ca


def close_by_decision(actor, ca: CorrectiveAction, *, decision: str, today: date,
                      expected_version: int | None) -> CorrectiveAction:
    """open → closed for grades that call for no corrective action (observation, OFI)."""
    rules.ensure_manage(actor, ca)
    require_state(ca, "open")
    check_version(ca, expected_version)
    if ca.grade_rule.raises_corrective_action:
        raise DomainError(_("This grade calls for corrective action; it cannot be closed by "
                            "a decision alone."), status=409)
    if not (decision or "").strip():
        raise DomainError(_("Record the decision."), field="decision")
    ca.status, ca.closed_on, ca.closure_note = "closed", today, decision.strip()
    ca.closed_by_id = actor.id
    db.session.flush()
    record(actor, "corrective.close_decision", "corrective_action", ca.id,
           before={"status": "open"},
           after={"status": "closed", "closed_on": today, "closed_by_id": actor.id,
                  "decision": ca.closure_note})
    signals.corrective_action_closed.send(ca, actor=actor)
    return ca
