"""Configuring approval chains: a document type's chain, and one document's own chain that
overrides its type's (with the reason), or puts it back on its type's.

Each change is made on the version of the chain the coordinator saw (409 otherwise; 0 for a
chain not configured yet) and leaves an audit event. A revision in review keeps the steps it
was submitted with: a change applies from the next submission."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core.db import utcnow
from compliance.core.errors import Conflict, DomainError, NotFound
from compliance.core.extensions import db
from compliance.documents import chain, rules
from compliance.documents.models import (
    DOC_TYPES,
    MEANINGS,
    STEP_ROLES,
    ApprovalChain,
    ApprovalStep,
    Document,
)
from compliance.documents.services.documents import ensure_not_obsolete

Steps = tuple[tuple[int, str, str], ...]


def check_steps(steps: Iterable[tuple[int, str, str]]) -> Steps:
    """The steps, checked, in order, their positions renumbered 1, 2, … (steps sharing a
    position stay together: they are signed in parallel)."""
    rows = [(int(position), meaning, role) for position, meaning, role in steps]
    if not rows:
        raise DomainError(_("A chain needs at least one step."))
    if len(rows) > chain.MAX_STEPS:
        raise DomainError(ngettext("A chain has at most %(num)d step.",
                                   "A chain has at most %(num)d steps.", chain.MAX_STEPS))
    if any(meaning not in MEANINGS or role not in STEP_ROLES for _p, meaning, role in rows):
        raise DomainError(_("Choose the meaning and the role of each step from the lists."))
    if not any(meaning == "approved" for _p, meaning, _r in rows):
        raise DomainError(_("A chain needs a step that approves the revision for use."))
    if len({(meaning, role) for _p, meaning, role in rows}) != len(rows):
        raise DomainError(_("Two steps have the same meaning and role: keep one of them."))
    renumber = {old: new for new, old in enumerate(sorted({p for p, _m, _r in rows}), 1)}
    return tuple(sorted((renumber[p], meaning, role) for p, meaning, role in rows))


def _check_version(row: ApprovalChain | None, expected: int | None) -> None:
    """The chain as the coordinator saw it: its version, or 0 while not configured."""
    if expected is None or expected != (row.version if row is not None else 0):
        raise Conflict(_("Someone else changed this approval chain while you were editing "
                         "it. Reload the page, check it and save again."))


def _put_steps(row: ApprovalChain, actor, steps: Steps) -> None:
    row.steps = [ApprovalStep(position=p, meaning=m, role=r) for p, m, r in steps]
    row.updated_by_id, row.updated_at = actor.id, utcnow()


def _steps_record(steps: Steps) -> list[dict]:
    return [{"position": p, "meaning": m, "role": r} for p, m, r in steps]


def set_type_chain(actor, doc_type: str, expected_version: int | None, *,
                   steps: Iterable[tuple[int, str, str]]) -> ApprovalChain:
    """Set the chain every document of a type goes through (unless it has its own)."""
    rules.ensure(rules.may_edit_chains(actor),
                 _("Only ISO coordinators can change approval chains."))
    if doc_type not in DOC_TYPES:
        raise NotFound(_("Unknown document type."))
    row = db.session.scalar(select(ApprovalChain).where(ApprovalChain.doc_type == doc_type)
                            .with_for_update())
    _check_version(row, expected_version)
    cleaned = check_steps(steps)
    before = _steps_record(chain.as_tuples(row))
    if row is None:
        row = ApprovalChain(doc_type=doc_type)
        db.session.add(row)
    _put_steps(row, actor, cleaned)
    db.session.flush()
    record(actor, "approval_chain.edit", "approval_chain", doc_type,
           before={"doc_type": doc_type, "steps": before},
           after={"doc_type": doc_type, "steps": _steps_record(cleaned)})
    return row


def set_document_chain(actor, document: Document, expected_version: int | None, *,
                       steps: Iterable[tuple[int, str, str]], reason: str,
                       use_type_chain: bool = False) -> ApprovalChain | None:
    """Give a document its own chain, or (use_type_chain) put it back on its type's; the
    reason is kept with the chain and in the audit trail."""
    rules.ensure(rules.may_override_chain(actor, document),
                 _("Only ISO coordinators can change approval chains."))
    ensure_not_obsolete(document)
    row = chain.own_chain(document)
    _check_version(row, expected_version)
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for this document's approval chain."),
                          field="reason")
    before = _steps_record(chain.configured(document)[0])
    if use_type_chain:
        return _back_to_type(actor, document, row, reason.strip(), before)
    cleaned = check_steps(steps)
    if row is None:
        row = ApprovalChain(document_id=document.id)
        db.session.add(row)
    row.reason = reason.strip()
    _put_steps(row, actor, cleaned)
    db.session.flush()
    record(actor, "document.chain_override", "document", document.id,
           before={"steps": before},
           after={"steps": _steps_record(cleaned), "reason": row.reason})
    return row


def _back_to_type(actor, document: Document, row: ApprovalChain | None, reason: str,
                  before: list[dict]) -> None:
    if row is None:
        raise DomainError(_("This document already follows its type's approval chain."),
                          status=409)
    db.session.delete(row)
    db.session.flush()
    record(actor, "document.chain_reset", "document", document.id, before={"steps": before},
           after={"steps": _steps_record(chain.as_tuples(chain.type_chain(document.doc_type))),
                  "reason": reason})
    return None
