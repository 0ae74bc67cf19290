"""Reads: the packs a user may see, build-form choices, a pack's status."""

from __future__ import annotations

import json

from flask import current_app
from sqlalchemy import select

from compliance.audits.models import Audit
from compliance.core.collation import sorted_pairs
from compliance.core.extensions import db
from compliance.evidence import rules, services
from compliance.evidence.labels import step_label
from compliance.evidence.models import EvidencePack, Verification
from compliance.org.models import Clause, Department


def visible_packs(user, limit: int = 200) -> list[EvidencePack]:
    """Packs the user may see, newest first."""
    query = select(EvidencePack).order_by(EvidencePack.id.desc()).limit(limit)
    return list(db.session.scalars(rules.visible_packs(user, query)))


def choices(user, locale: str) -> dict[str, list[tuple[int, str]]]:
    """Departments, audits and clauses the user may build a pack for."""
    allowed = rules.pack_departments(user)
    departments = select(Department).order_by(Department.code)
    audits = select(Audit).order_by(Audit.planned_start.desc(), Audit.reference)
    if allowed is not None:
        departments = departments.where(Department.id.in_(sorted(allowed) or [-1]))
        audits = audits.where(Audit.department_id.in_(sorted(allowed) or [-1]))
    clauses = [] if allowed is not None else [
        (c.id, f"{c.number} {c.title(locale)}")
        for c in db.session.scalars(select(Clause).order_by(Clause.sort_key))]
    # By name, as a Vietnamese reader sorts, and labelled as every department list is.
    return {"department": sorted_pairs((d.id, f"{d.name(locale)} ({d.code})")
                                       for d in db.session.scalars(departments)),
            "audit": [(a.id, f"{a.reference} — {a.department.code}")
                      for a in db.session.scalars(audits.limit(500))],
            "clause": clauses}


def state_of(pack: EvidencePack) -> str:
    """The state shown: stuck builds past the time limit count as failed."""
    return services.effective_state(pack, int(current_app.config["EVIDENCE_TIME_LIMIT"]))


def error_of(pack: EvidencePack) -> str | None:
    """Why the pack failed, if it did."""
    if state_of(pack) != "failed":
        return None
    reason = services.stalled(pack, int(current_app.config["EVIDENCE_TIME_LIMIT"]))
    return pack.error or services.stale_error(reason)


def status(pack: EvidencePack) -> dict:
    """The small JSON document the progress bar polls."""
    state = state_of(pack)
    return {"id": pack.id, "reference": pack.reference, "status": state,
            "progress": 100 if state == "ready" else pack.progress, "step": pack.step,
            "step_label": step_label(pack.step),
            "error": error_of(pack), "sha256": pack.blob_sha256 if state == "ready" else None,
            "pages": pack.pages}


def problems_of(check: Verification) -> list[str]:
    """The differences a verification found, in the words it recorded them."""
    return json.loads(check.problems_json)
