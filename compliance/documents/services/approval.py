"""Electronic signatures on the steps of a revision's approval chain, and a revision coming
into force (superseding the one before). The chain a revision follows was copied onto it when
it was submitted (services.revisions); the signature that completes it approves it.

Signals sent:
    revision_published (sender: the Revision now in force; document=Document, actor=User
    or None when the scheduler brought it into force, superseded=the Revision it replaced or
    None). The document domain's own receiver (documents.handlers) asks the readers to
    acknowledge it and the holders of copies of the superseded one to destroy or return
    them; others may listen too.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth import reauth
from compliance.core import signals
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.documents import chain, rules, search
from compliance.documents.dates import add_months
from compliance.documents.labels import step_label
from compliance.documents.models import MEANINGS, Approval, Document, Revision, RevisionStep


def _check_signer(actor, document: Document, revision: Revision) -> list[chain.Step]:
    """Rights, state, then the steps open to the actor now (the whole round is returned)."""
    rules.ensure_sign(actor, document, revision)
    if revision.status != "in_review":
        raise DomainError(_("Only a revision in review can be signed."), status=409)
    steps = chain.chain_of(document, revision)
    if not rules.open_steps_for(actor, document, revision, steps):
        first = next(s for s in steps if s.open)
        raise DomainError(_("This revision first awaits step %(n)d: %(step)s.", n=first.position,
                            step=step_label(first.meaning, first.role)), status=409)
    return steps


def _verify(actor, document: Document, revision: Revision, credential: str | None,
            action: str):
    return reauth.verify(actor, credential, attempt=reauth.Attempt(
        action, "document", document.id, {"revision_id": revision.id}))


def _choose(mine: list[chain.Step], meaning: str, step_id: int | None) -> chain.Step | None:
    """The open step the signature answers: the one named, else the first with its meaning;
    None for an extra "reviewed" signature outside the chain."""
    step = next((s for s in mine if (s.id == step_id if step_id else s.meaning == meaning)),
                None)
    if step is None and (step_id or meaning != "reviewed"):
        raise DomainError(_("No step awaiting your signature has this meaning: choose one of "
                            "those offered."), field="meaning")
    return step


def _stored(revision: Revision, step: chain.Step) -> int:
    """The stored step's id; a revision submitted before chains existed gets its single
    default step stored now, as its first round."""
    if step.id is not None:
        return step.id
    revision.review_round = 1
    stored = RevisionStep(round=1, position=step.position, meaning=step.meaning,
                          role=step.role)
    revision.steps.append(stored)
    db.session.flush()
    return stored.id


def _sign(actor, revision: Revision, meaning: str, comment: str,
          step_id: int | None) -> Approval:
    approval = Approval(revision_id=revision.id, signer_id=actor.id, signer_name=actor.name,
                        meaning=meaning, comment=(comment or "").strip(), signed_at=utcnow(),
                        step_id=step_id)
    db.session.add(approval)
    revision.approvals.append(approval)
    return approval


def _step_record(step: chain.Step | None) -> dict | None:
    return None if step is None else {"position": step.position, "meaning": step.meaning,
                                      "role": step.role}


def sign_revision(actor, document: Document, revision: Revision, *, meaning: str,
                  credential: str | None, comment: str = "",
                  effective_date: date | None = None, today: date,
                  step_id: int | None = None) -> Approval:
    """Sign an open step of the revision's approval chain (the signature that completes the
    chain approves it), or add an extra "reviewed" signature that answers no step."""
    if meaning not in MEANINGS:
        raise DomainError(_("Choose what your signature means."), field="meaning")
    steps = _check_signer(actor, document, revision)
    step = _choose(rules.open_steps_for(actor, document, revision, steps), meaning, step_id)
    proof = _verify(actor, document, revision, credential, f"revision.sign.{meaning}")
    effective_date = effective_date or today
    completes = step is not None and all(s.signature is not None or s is step for s in steps)
    if completes and effective_date < today:
        raise DomainError(_("The effective date cannot be in the past."), field="effective_date")
    before = revision.snapshot()
    approval = _sign(actor, revision, meaning, comment,
                     _stored(revision, step) if step is not None else None)
    if completes:
        revision.status, revision.approved_at = "approved", utcnow()
        revision.effective_date = effective_date
    db.session.flush()
    record(actor, f"revision.sign.{meaning}", "document", document.id, before=before,
           after={**revision.snapshot(), "signer": actor.name, "meaning": meaning,
                  "comment": approval.comment, "signed_at": approval.signed_at,
                  "approval_id": approval.id, **proof.record, "step": _step_record(step),
                  "round": revision.review_round})
    if completes and effective_date <= today:
        make_effective(actor, document, revision)
    return approval


def reject_revision(actor, document: Document, revision: Revision, *, credential: str | None,
                    comment: str) -> Revision:
    """Send a revision back to draft with the reason, at the actor's open step; the
    signatures of the earlier steps stay on record."""
    if not (comment or "").strip():
        raise DomainError(_("Say why the revision is rejected."), field="comment")
    steps = _check_signer(actor, document, revision)
    step = rules.open_steps_for(actor, document, revision, steps)[0]
    proof = _verify(actor, document, revision, credential, "revision.reject")
    before = revision.snapshot()
    rejection = _sign(actor, revision, "rejected", comment, _stored(revision, step))
    revision.status, revision.rejection_comment = "draft", comment.strip()
    db.session.flush()
    record(actor, "revision.reject", "document", document.id, before=before,
           after={**revision.snapshot(), "comment": comment.strip(),
                  "approval_id": rejection.id, **proof.record,
                  "step": _step_record(step), "round": revision.review_round})
    return revision


def make_effective(actor, document: Document, revision: Revision) -> Revision:
    """Put an approved revision in force and supersede the previous one, in one transaction."""
    if revision.status != "approved":
        raise DomainError(_("Only an approved revision can come into force."), status=409)
    previous = db.session.scalar(select(Revision).where(
        Revision.document_id == document.id, Revision.status == "effective",
    ).with_for_update(of=Revision))
    if previous is not None:
        previous.status, previous.superseded_at = "superseded", utcnow()
    revision.status = "effective"
    document.status = "effective"
    document.next_review_date = add_months(revision.effective_date,
                                           document.review_interval_months)
    db.session.flush()
    record(actor, "revision.effective", "document", document.id,
           after={**revision.snapshot(),
                  "supersedes": previous.label if previous is not None else None,
                  "next_review_date": document.next_review_date})
    search.index_document(document)
    signals.revision_published.send(revision, document=document, actor=actor,
                                    superseded=previous)
    return revision


def activate_due(today: date) -> int:
    """Bring into force every approved revision whose effective date has come."""
    # Through the document: revisions carry no organisation of their own, and the scheduler
    # runs this once per organisation, acting for it.
    due = db.session.scalars(select(Revision).join(Revision.document).where(
        Revision.status == "approved", Revision.effective_date <= today,
    ).order_by(Revision.effective_date, Revision.id)).all()
    for revision in due:
        make_effective(None, revision.document, revision)
    return len(due)
