"""Default finding grades and their closure rules; stored as data so they can be adjusted."""

from __future__ import annotations

from sqlalchemy import select

from compliance.audits.models import FindingGrade
from compliance.extensions import db

DEFAULT_GRADES = [
    # code, name_vi, name_en, raises CA, needs root cause, needs effectiveness evidence, days
    ("major", "Điểm không phù hợp nặng", "Major nonconformity", True, True, True, 60),
    ("minor", "Điểm không phù hợp nhẹ", "Minor nonconformity", True, True, False, 60),
    ("observation", "Điểm lưu ý", "Observation", False, False, False, 60),
    ("ofi", "Cơ hội cải tiến", "Opportunity for improvement", False, False, False, 60),
]


def load_defaults() -> int:
    """Insert the default grades that are missing; returns how many were added."""
    existing = set(db.session.scalars(select(FindingGrade.code)))
    added = 0
    for position, row in enumerate(DEFAULT_GRADES):
        code, name_vi, name_en, raises, root_cause, evidence, days = row
        if code in existing:
            continue
        db.session.add(FindingGrade(code=code, name_vi=name_vi, name_en=name_en,
                                    position=position, raises_corrective_action=raises,
                                    requires_root_cause=root_cause,
                                    requires_effectiveness_evidence=evidence,
                                    effectiveness_check_days=days))
        added += 1
    db.session.flush()
    return added


def all_grades() -> list[FindingGrade]:
    """Grades in display order."""
    return list(db.session.scalars(select(FindingGrade).order_by(FindingGrade.position)))
