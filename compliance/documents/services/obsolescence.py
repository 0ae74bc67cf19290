"""Making a document obsolete and reinstating it: each a decision with a reason, signed by
re-entering the password (as an approval signature is), on the version of the document the
coordinator saw.

Making obsolete keeps, on each revision it withdraws, the state the revision was in;
reinstating puts every such revision back there (an approved revision whose date has come
then comes into force at once). A document under a legal hold is not made obsolete; one
whose withdrawn revisions were disposed of (destroyed or transferred to the archive,
services.retention) is not reinstated."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.auth import reauth
from compliance.core.db import check_version, utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.documents import rules, search
from compliance.documents.models import Document, Revision
from compliance.documents.services.approval import make_effective
from compliance.documents.services.documents import next_review
from compliance.documents.services.holds import ensure_not_held

# The revision states that making a document obsolete withdraws.
WITHDRAWN = ("effective", "approved", "in_review", "draft")


def _check(actor, document: Document, expected_version: int | None, reason: str,
           credential: str | None, action: str, no_reason: str) -> reauth.Proof:
    """Version, reason, then the password: a missing reason never costs a password try."""
    check_version(document, expected_version, _(
        "Someone else changed this document while you were deciding. Reload the page, "
        "check it and decide again."))
    if not (reason or "").strip():
        raise DomainError(no_reason, field="reason")
    return reauth.verify(actor, credential, attempt=reauth.Attempt(
        action, "document", document.id),
        message=_("The password is not correct; nothing was changed."))


def make_obsolete(actor, document: Document, expected_version: int | None, *, reason: str,
                  credential: str | None) -> Document:
    """Withdraw a document from use: the reason and the signature are kept on record."""
    rules.ensure(rules.may_obsolete(actor, document))
    if document.status == "obsolete":
        raise DomainError(_("This document is already obsolete."), status=409)
    ensure_not_held(document, _("made obsolete"))
    proof = _check(actor, document, expected_version, reason, credential, "document.obsolete",
                   _("Give the reason why the document is withdrawn."))
    before = document.snapshot()
    for revision in document.revisions:
        if revision.status in WITHDRAWN:
            revision.status_before_obsolete, revision.status = revision.status, "obsolete"
    document.status, document.obsolete_reason = "obsolete", reason.strip()
    document.next_review_date, document.obsolete_at = None, utcnow()
    db.session.flush()
    record(actor, "document.obsolete", "document", document.id, before=before,
           after={**document.snapshot(), "reason": document.obsolete_reason,
                  "signer": actor.name, **proof.record})
    return document


def _restore(document: Document) -> list[Revision]:
    """Put the withdrawn revisions back; those withdrawn before the states were kept bring
    back only the last one approved and never superseded."""
    withdrawn = [r for r in document.revisions if r.status == "obsolete"]
    if withdrawn and not any(r.status_before_obsolete for r in withdrawn):
        last = next((r for r in withdrawn  # newest first
                     if r.approved_at is not None and r.superseded_at is None), None)
        if last is not None:
            last.status_before_obsolete = "effective"
    restored = []
    for revision in withdrawn:
        if revision.status_before_obsolete:
            revision.status, revision.status_before_obsolete = \
                revision.status_before_obsolete, None
            restored.append(revision)
    return restored


def _ensure_not_disposed(document: Document) -> None:
    """Refuse (409) to reinstate a document whose withdrawn revisions were disposed of."""
    gone = next((r for r in document.revisions
                 if r.status == "obsolete" and r.disposition is not None), None)
    if gone is not None:
        raise DomainError(_("Revision %(label)s of this document was disposed of (destroyed or "
                            "transferred to the archive): the document cannot be reinstated.",
                            label=gone.label), status=409)


def reinstate_document(actor, document: Document, expected_version: int | None, *,
                       reason: str, credential: str | None, today: date) -> Document:
    """Bring an obsolete document back into use, its revisions where they were."""
    rules.ensure(rules.may_reinstate(actor, document))
    if document.status != "obsolete":
        raise DomainError(_("Only an obsolete document can be reinstated."), status=409)
    _ensure_not_disposed(document)
    proof = _check(actor, document, expected_version, reason, credential,
                   "document.reinstate", _("Give the reason why the document is reinstated."))
    before = document.snapshot()
    restored = _restore(document)
    in_force = any(r.status == "effective" for r in restored)
    document.status = "effective" if in_force else "draft"
    document.obsolete_reason = document.obsolete_at = None
    document.next_review_date = next_review(document) if in_force else None
    db.session.flush()
    record(actor, "document.reinstate", "document", document.id, before=before,
           after={**document.snapshot(), "reason": reason.strip(), "signer": actor.name,
                  **proof.record,
                  "revisions": {r.label: r.status for r in restored}})
    search.index_document(document)
    due = next((r for r in restored if r.status == "approved" and r.effective_date
                and r.effective_date <= today), None)
    if due is not None:
        make_effective(actor, document, due)
    return document
