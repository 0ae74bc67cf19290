"""Containment and root-cause analysis: open → contained → analysed."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.capa import rules
from compliance.capa.models import ISHIKAWA, CorrectiveAction, WhyStep
from compliance.capa.services.common import check_version, require_state
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.org.models import Department

MAX_WHYS = 5


def contain(actor, ca: CorrectiveAction, *, correction: str, corrected_on: date, today: date,
            expected_version: int | None) -> CorrectiveAction:
    """open → contained: the immediate correction and when it was made."""
    rules.ensure_manage(actor, ca)
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
            affected_ids: list[int], expected_version: int | None) -> CorrectiveAction:
    """contained → analysed: 5-why chain, Ishikawa category, extent and other departments."""
    rules.ensure_manage(actor, ca)
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
