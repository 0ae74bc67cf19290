"""Everything a pack needs from the database, read once, turned into HTML and file lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import func, select

from compliance.audit_trail.services import recorded_for
from compliance.audits.labels import RESULT_LABELS
from compliance.audits.labels import STATE_LABELS as AUDIT_STATES
from compliance.audits.services import grades
from compliance.auth import reauth
from compliance.capa.labels import (
    ACTION_LABELS,
    CHECK_LABELS,
    ISHIKAWA_LABELS,
    SOURCE_LABELS,
)
from compliance.capa.labels import STATE_LABELS as CA_STATES
from compliance.core import clock
from compliance.core.clock import local_date
from compliance.core.extensions import db
from compliance.documents import chain as approval_chain
from compliance.documents.labels import (
    MEANING_LABELS,
    STATUS_LABELS,
    STEP_MEANING_LABELS,
    STEP_ROLE_LABELS,
    TYPE_LABELS,
)
from compliance.documents.models import Acknowledgement, PeriodicReview
from compliance.documents.records import queries as records
from compliance.documents.records.labels import SCOPE_LABELS
from compliance.evidence import scope as scopes
from compliance.evidence.quality import quality_of
from compliance.quality.measures.labels import FREQUENCY_LABELS
from compliance.quality.objectives.labels import STATUS_LABELS as OBJECTIVE_STATES
from compliance.quality.risks.labels import ACTION_LABELS as RISK_ACTION_STATES
from compliance.quality.risks.labels import KIND_LABELS, LEVEL_LABELS
from compliance.quality.risks.labels import STATE_LABELS as RISK_STATES


@dataclass
class DocEntry:
    """One revision in force in the period, as the register and the manifest show it."""

    revision_id: int
    document_id: int
    code: str
    title: str
    label: str
    doc_type: str
    department: str
    status: str
    effective_date: date | None
    filename: str
    file_kind: str
    sha256: str
    size: int
    # The approval chain: (position, meaning, role, signer or None, when or None, how the
    # signer was proved again or "") a step; then the signatures that answer no step (name,
    # meaning, when, how proved).
    chain: list[tuple[int, str, str, str | None, object, str]]
    approvals: list[tuple[str, str, object, str]]
    next_review: date | None
    last_review: object
    acks_done: int
    acks_requested: int
    # The day a disposition destroyed its file: listed in the register, with no file.
    destroyed_on: date | None = None

    @property
    def is_pdf(self) -> bool:
        """Whether the file is merged (PDF) or attached (anything else)."""
        return self.file_kind == "pdf"

    @property
    def attachment_name(self) -> str:
        """The embedded file's name for a document that is not a PDF."""
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in self.filename)
        return f"{self.code}_rev{self.label}_{safe}"


@dataclass
class Collected:
    """The pack's data, read in one go so the database is let go before rendering."""

    documents: list[DocEntry]
    html: dict[str, str] = field(default_factory=dict)
    trail_head: tuple[int, str] | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _acknowledgements(revision_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not revision_ids:
        return {}
    rows = db.session.execute(
        select(Acknowledgement.revision_id, func.count(),
               func.count(Acknowledgement.acknowledged_at))
        .where(Acknowledgement.revision_id.in_(revision_ids))
        .group_by(Acknowledgement.revision_id))
    return {r[0]: (r[2], r[1]) for r in rows}


def _last_reviews(document_ids: list[int], end: date) -> dict[int, object]:
    if not document_ids:
        return {}
    rows = db.session.execute(
        select(PeriodicReview.document_id, func.max(PeriodicReview.reviewed_at))
        .where(PeriodicReview.document_id.in_(document_ids))
        .group_by(PeriodicReview.document_id))
    return {r[0]: r[1] for r in rows}


def documents(revisions, locale: str, end: date) -> list[DocEntry]:
    """The register's entries, acknowledgement coverage and review dates included."""
    acks = _acknowledgements([r.id for r in revisions])
    reviews = _last_reviews(sorted({r.document_id for r in revisions}), end)
    proofs = approval_chain.signature_proofs(*{r.document for r in revisions})
    entries = []
    for r in revisions:
        d = r.document
        done, asked = acks.get(r.id, (0, 0))
        steps = approval_chain.chain_of(d, r)
        entries.append(DocEntry(
            revision_id=r.id, document_id=d.id, code=d.code, title=d.title(locale),
            label=r.label, doc_type=d.doc_type, department=d.department.code, status=r.status,
            effective_date=r.effective_date, filename=r.filename, file_kind=r.file_kind,
            sha256=r.blob_sha256, size=r.file_size,
            chain=[(s.position, s.meaning, s.role,
                    s.signature.signer_name if s.signature else None,
                    s.signature.signed_at if s.signature else None,
                    approval_chain.proof_of(proofs, s.signature)) for s in steps],
            approvals=[(a.signer_name, a.meaning, a.signed_at,
                        approval_chain.proof_of(proofs, a))
                       for a in approval_chain.others(r, steps)],
            next_review=d.next_review_date, last_review=reviews.get(d.id),
            acks_done=done, acks_requested=asked,
            destroyed_on=local_date(r.blob_destroyed_at) if r.blob_destroyed_at else None))
    return entries


def css_string(text) -> Markup:
    """Text for a CSS string in a <style> element, where HTML escapes mean nothing."""
    plain = str.__str__(str(text))
    # Safe for a CSS string: backslashes and quotes escaped, no "<" to close the style.
    return Markup(plain.replace("\\", "\\\\").replace('"', '\\"').replace("<", ""))  # noqa: S704


def labels() -> dict:
    """Every label dictionary the section templates use, as plain strings."""
    def plain(mapping):
        return {k: str(v) for k, v in mapping.items()}

    return {"types": plain(TYPE_LABELS), "statuses": plain(STATUS_LABELS),
            "meanings": plain(MEANING_LABELS), "results": plain(RESULT_LABELS),
            "step_meanings": plain(STEP_MEANING_LABELS), "step_roles": plain(STEP_ROLE_LABELS),
            "audit_states": plain(AUDIT_STATES), "ca_states": plain(CA_STATES),
            "sources": plain(SOURCE_LABELS), "ishikawa": plain(ISHIKAWA_LABELS),
            "action_states": plain(ACTION_LABELS), "check_states": plain(CHECK_LABELS),
            "objective_states": plain(OBJECTIVE_STATES), "frequencies": plain(FREQUENCY_LABELS),
            "risk_kinds": plain(KIND_LABELS), "risk_states": plain(RISK_STATES),
            "risk_levels": plain(LEVEL_LABELS), "risk_action_states": plain(RISK_ACTION_STATES)}


def collect(pack, org: str, scope: scopes.Scope | None = None) -> Collected:
    """Read the scope's records (the pack's, unless named: one organisation of a pack across
    several) and render every generated section but the front matter."""
    locale = pack.locale
    scope = scope or scopes.resolve(pack.scope_kind, pack.scope_id, locale)
    start, end = pack.period_start, pack.period_end
    listed = documents(scopes.revisions_in_force(scope, start, end), locale, end)
    # Revisions whose file was destroyed are listed in the register, not included.
    entries = [e for e in listed if e.destroyed_on is None]
    gone = [e for e in listed if e.destroyed_on is not None]
    audits = scopes.audits(scope, start, end)
    holds = records.holds_covering(scope.department_id, [a.id for a in audits],
                                   [e.document_id for e in listed],
                                   everything=scope.kind == "organisation")
    actions = scopes.corrective_actions(scope, start, end)
    entities = {"document": {e.document_id for e in listed}, "audit": {a.id for a in audits},
                "corrective_action": {c.id for c in actions}, "evidence_pack": {pack.id}}
    quality = quality_of(scope, start, end, clock.today()) if pack.include_quality else None
    if quality is not None:
        entities.update(quality.entities())
    events = scopes.trail_events(scope, start, end, entities)
    common = {"pack": pack, "org_name": org, "locale": locale, "labels": labels(),
              "timezone": current_app.config["ORG_TIMEZONE"], "css": css_string}
    by_grade = {a.id: [(g, [f for f in a.findings if f.grade == g.code])
                       for g in grades.all_grades()] for a in audits}
    # How each lead auditor proved who they were again when signing the report (issue 19).
    report_proofs = {int(audit_id): reauth.printed(after) for audit_id, after in recorded_for(
        "audit", [a.id for a in audits], "audit.report_signed")}
    html = {
        "register": render_template("pdf/evidence/register.html", docs=entries, gone=gone,
                                    holds=holds, scope_labels={
                                        k: str(v) for k, v in SCOPE_LABELS.items()},
                                    **common),
        "documents": render_template("pdf/evidence/documents.html", docs=entries, **common),
        "audits": render_template("pdf/evidence/audits.html", audits=audits,
                                  by_grade=by_grade, report_proofs=report_proofs,
                                  **common),
        "actions": render_template("pdf/evidence/actions.html", actions=actions, **common),
        "trail": render_template("pdf/evidence/trail.html", events=events, **common),
    }
    counts = {"documents": len(entries), "audits": len(audits), "actions": len(actions),
              "events": len(events)}
    if quality is not None:
        html["quality"] = render_template("pdf/evidence/quality.html", quality=quality,
                                          **common)
        counts.update(objectives=len(quality.objectives), measures=len(quality.measures),
                      risks=len(quality.risks))
    return Collected(documents=entries, html=html, trail_head=scopes.trail_head(),
                     counts=counts)
