"""Electronic signatures, and a revision coming into force (superseding the one before).

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
from compliance.documents import rules, search
from compliance.documents.dates import add_months
from compliance.documents.models import MEANINGS, Approval, Document, Revision


def _check_signer(actor, document: Document, revision: Revision, credential: str | None,
                  action: str):
    rules.ensure_sign(actor, document, revision)
    if revision.status != "in_review":
        raise DomainError(_("Only a revision in review can be signed."), status=409)
    return reauth.verify(actor, credential, attempt=reauth.Attempt(
        action, "document", document.id, {"revision_id": revision.id}))


def _sign(actor, revision: Revision, meaning: str, comment: str) -> Approval:
    approval = Approval(revision_id=revision.id, signer_id=actor.id, signer_name=actor.name,
                        meaning=meaning, comment=(comment or "").strip(), signed_at=utcnow())
    db.session.add(approval)
    revision.approvals.append(approval)
    return approval


def sign_revision(actor, document: Document, revision: Revision, *, meaning: str,
                  credential: str | None, comment: str = "",
                  effective_date: date | None = None, today: date) -> Approval:
    """Sign a revision: 'reviewed' adds a signature; 'approved' releases it."""
    if meaning not in MEANINGS:
        raise DomainError(_("Choose what your signature means."), field="meaning")
    proof = _check_signer(actor, document, revision, credential, f"revision.sign.{meaning}")
    effective_date = effective_date or today
    if meaning == "approved" and effective_date < today:
        raise DomainError(_("The effective date cannot be in the past."), field="effective_date")
    before = revision.snapshot()
    approval = _sign(actor, revision, meaning, comment)
    if meaning == "approved":
        revision.status, revision.approved_at = "approved", utcnow()
        revision.effective_date = effective_date
    db.session.flush()
    record(actor, f"revision.sign.{meaning}", "document", document.id, before=before,
           after={**revision.snapshot(), "signer": actor.name, "meaning": meaning,
                  "comment": approval.comment, "signed_at": approval.signed_at,
                  "method": proof.method})
    if meaning == "approved" and effective_date <= today:
        make_effective(actor, document, revision)
    return approval


def reject_revision(actor, document: Document, revision: Revision, *, credential: str | None,
                    comment: str) -> Revision:
    """Send a revision back to draft with the reason."""
    if not (comment or "").strip():
        raise DomainError(_("Say why the revision is rejected."), field="comment")
    proof = _check_signer(actor, document, revision, credential, "revision.reject")
    before = revision.snapshot()
    _sign(actor, revision, "rejected", comment)
    revision.status, revision.rejection_comment = "draft", comment.strip()
    db.session.flush()
    record(actor, "revision.reject", "document", document.id, before=before,
           after={**revision.snapshot(), "comment": comment.strip(), "method": proof.method})
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
    due = db.session.scalars(select(Revision).where(
        Revision.status == "approved", Revision.effective_date <= today,
    ).order_by(Revision.effective_date, Revision.id)).all()
    for revision in due:
        make_effective(None, revision.document, revision)
    return len(due)
