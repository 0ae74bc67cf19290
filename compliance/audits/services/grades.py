"""Finding grades: the defaults, stored as data so an organisation can adjust their rules."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.audits import rules
from compliance.audits.models import FindingGrade
from compliance.audits.services.common import check_version
from compliance.core import tenancy
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db

DEFAULT_GRADES = [
    # code, name_vi, name_en, raises CA, needs root cause, needs effectiveness evidence, days
    ("major", "Điểm không phù hợp nặng", "Major nonconformity", True, True, True, 60),
    ("minor", "Điểm không phù hợp nhẹ", "Minor nonconformity", True, True, False, 60),
    ("observation", "Điểm lưu ý", "Observation", False, False, False, 60),
    ("ofi", "Cơ hội cải tiến", "Opportunity for improvement", False, False, False, 60),
]
# Corrective actions: days from raising to the target date of the action plan (capa). Kept
# apart from the rows above; a grade left out has no target date.
DEFAULT_CORRECTIVE_ACTION_DAYS = {"major": 30, "minor": 60, "observation": 90}
MAX_CORRECTIVE_ACTION_DAYS = 730


def load_defaults(organisation_id: int | None = None) -> int:
    """Give an organisation (the acting one by default) the default grades it lacks; returns
    how many were added."""
    organisation_id = organisation_id or tenancy.acting_organisation_id()
    existing = set(db.session.scalars(select(FindingGrade.code).where(
        FindingGrade.organisation_id == organisation_id)))
    added = 0
    for position, row in enumerate(DEFAULT_GRADES):
        code, name_vi, name_en, raises, root_cause, evidence, days = row
        if code in existing:
            continue
        db.session.add(FindingGrade(organisation_id=organisation_id, code=code,
                                    name_vi=name_vi, name_en=name_en,
                                    position=position, raises_corrective_action=raises,
                                    requires_root_cause=root_cause,
                                    requires_effectiveness_evidence=evidence,
                                    effectiveness_check_days=days,
                                    corrective_action_days=DEFAULT_CORRECTIVE_ACTION_DAYS.get(
                                        code)))
        added += 1
    db.session.flush()
    return added


def grade_of(organisation_id: int, code: str | None) -> FindingGrade | None:
    """An organisation's grade by its code, if it has one by that code."""
    return db.session.get(FindingGrade, (organisation_id, (code or "")[:16]))


def get_grade(code: str) -> FindingGrade:
    """A grade of the acting organisation by its code, or NotFound."""
    grade = grade_of(tenancy.acting_organisation_id(), code)
    if grade is None:
        raise NotFound(_("Unknown grade."))
    return grade


def all_grades() -> list[FindingGrade]:
    """The acting organisation's grades in display order."""
    return list(db.session.scalars(select(FindingGrade).where(
        FindingGrade.organisation_id == tenancy.acting_organisation_id())
        .order_by(FindingGrade.position)))


def update_grade(actor, grade: FindingGrade, *, name_vi: str, name_en: str,
                 raises_corrective_action: bool, requires_root_cause: bool,
                 requires_effectiveness_evidence: bool, effectiveness_check_days: int,
                 corrective_action_days: int | None, expected_version: int | None = None):
    """Change a grade's names and rules (they apply to findings raised from now on); the
    version the editor was shown must still be the current one."""
    rules.ensure(rules.may_manage_grades(actor))
    check_version(grade, expected_version)
    if not name_vi.strip() or not name_en.strip():
        raise DomainError(_("Name the grade in both languages."),
                          field="name_vi" if not name_vi.strip() else "name_en")
    if not 1 <= effectiveness_check_days <= 730:
        raise DomainError(_("The effectiveness check comes 1 to 730 days after the actions."),
                          field="effectiveness_check_days")
    _check_corrective_action_days(corrective_action_days)
    before = _rules(grade)
    grade.name_vi, grade.name_en = name_vi.strip(), name_en.strip()
    grade.raises_corrective_action = raises_corrective_action
    grade.requires_root_cause = requires_root_cause
    grade.requires_effectiveness_evidence = requires_effectiveness_evidence
    grade.effectiveness_check_days = effectiveness_check_days
    grade.corrective_action_days = corrective_action_days
    db.session.flush()
    record(actor, "grade.update", "finding_grade", grade.code, before=before, after=_rules(grade))
    return grade


def _rules(grade: FindingGrade) -> dict:
    return {"name_vi": grade.name_vi, "name_en": grade.name_en,
            "raises_corrective_action": grade.raises_corrective_action,
            "requires_root_cause": grade.requires_root_cause,
            "requires_effectiveness_evidence": grade.requires_effectiveness_evidence,
            "effectiveness_check_days": grade.effectiveness_check_days,
            "corrective_action_days": grade.corrective_action_days}


def _check_corrective_action_days(days: int | None) -> None:
    # Empty means no target date; otherwise a target within two years.
    if days is not None and not 1 <= days <= MAX_CORRECTIVE_ACTION_DAYS:
        raise DomainError(_("The target date of a corrective action comes 1 to %(most)d days "
                            "after it is raised, or leave it empty for none.",
                            most=MAX_CORRECTIVE_ACTION_DAYS), field="corrective_action_days")
