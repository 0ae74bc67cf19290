"""Reading: acknowledgements, controlled copies handed out, and periodic reviews."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth.models import Membership, User
from compliance.auth.permissions import can
from compliance.core.db import utcnow
from compliance.core.errors import DomainError, PermissionDenied
from compliance.core.extensions import db
from compliance.documents.approval import add_months
from compliance.documents.models import (
    Acknowledgement,
    Document,
    DownloadLog,
    PeriodicReview,
    Revision,
)

OUTCOMES = ("no_change", "revise")


def readers_of(document: Document) -> list[int]:
    """Ids of the active people who must read the document's revisions."""
    department_ids = {document.department_id} | {d.id for d in document.reader_departments}
    return list(db.session.scalars(
        select(Membership.user_id).join(User, User.id == Membership.user_id)
        .where(Membership.department_id.in_(department_ids), User.active.is_(True))
        .distinct()))


def request_acknowledgements(revision: Revision, document: Document) -> int:
    """Ask every reader to confirm they read the revision now in force."""
    now = utcnow()
    user_ids = readers_of(document)
    for user_id in user_ids:
        db.session.add(Acknowledgement(revision_id=revision.id, user_id=user_id,
                                       requested_at=now))
    db.session.flush()
    return len(user_ids)


def acknowledge(user, revision: Revision) -> Acknowledgement:
    """The reader confirms they have read the revision in force."""
    request = db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.revision_id == revision.id, Acknowledgement.user_id == user.id))
    if request is None:
        raise DomainError(_("You were not asked to acknowledge this revision."), status=404)
    if revision.status != "effective":
        raise DomainError(_("This revision is no longer in force."), status=409)
    if request.acknowledged_at is None:
        request.acknowledged_at = utcnow()
        db.session.flush()
        record(user, "revision.acknowledge", "document", revision.document_id,
               after={"label": revision.label})
    return request


def pending_for(user) -> list[Acknowledgement]:
    """What the user still has to read, oldest request first."""
    return list(db.session.scalars(
        select(Acknowledgement).join(Revision, Revision.id == Acknowledgement.revision_id)
        .where(Acknowledgement.user_id == user.id, Acknowledgement.acknowledged_at.is_(None),
               Revision.status == "effective")
        .order_by(Acknowledgement.requested_at)))


def log_download(user, revision: Revision, kind: str) -> None:
    """Keep a record of a copy handed out (user None: the public register)."""
    db.session.add(DownloadLog(revision_id=revision.id, user_id=getattr(user, "id", None),
                               kind=kind, downloaded_at=utcnow()))
    db.session.flush()
    record(user, f"revision.download.{kind}", "document", revision.document_id,
           after={"label": revision.label}, actor_label="public")


def record_review(actor, document: Document, *, outcome: str, comment: str,
                  today: date) -> PeriodicReview:
    """The owner's periodic review: no change (extends the cycle) or revise (opens a draft)."""
    if outcome not in OUTCOMES:
        raise DomainError(_("Choose the outcome of the review."))
    ensure_may_review(actor, document)
    ensure_effective(document)
    if not (comment or "").strip():
        raise DomainError(_("Write a comment for the review record."))
    review = PeriodicReview(document_id=document.id, reviewer_id=actor.id, outcome=outcome,
                            comment=comment.strip(), reviewed_at=utcnow())
    if outcome == "no_change":
        document.next_review_date = add_months(today, document.review_interval_months)
        review.next_review_date = document.next_review_date
    db.session.add(review)
    db.session.flush()
    record(actor, f"document.review.{outcome}", "document", document.id,
           after={"comment": review.comment, "next_review_date": document.next_review_date})
    if outcome == "revise":
        from compliance.documents.services import reopen_from_effective

        reopen_from_effective(actor, document, _("Periodic review: %(comment)s",
                                                 comment=review.comment))
    return review


def ensure_may_review(actor, document: Document) -> None:
    """The owner reviews their document; so may those who approve in its department."""
    if actor.id != document.owner_id and not can(actor, "documents.review",
                                                 document.department_id):
        raise PermissionDenied(_("Only the document's owner or an approver can review it."))


def ensure_effective(document: Document) -> None:
    """Refuse work that needs a revision in force."""
    if document.status != "effective":
        raise DomainError(_("This document has no revision in force."), status=409)


def may_read(user, document: Document, revision: Revision) -> bool:
    """In force: the department's readers; in progress: its authors and approvers; the
    rest (superseded, obsolete): history readers (coordinators, auditors)."""
    if revision.status == "effective":
        return can(user, "documents.read", document.department_id) or \
            user.id in readers_of(document)
    if revision.status in ("draft", "in_review", "approved", "withdrawn"):
        # Work in progress: its authors and approvers must see it to do their part.
        return can(user, "documents.draft", document.department_id) or \
            can(user, "documents.approve", document.department_id) or \
            can(user, "documents.read_history")
    return can(user, "documents.read_history")


def ensure_may_read(user, document: Document, revision: Revision) -> None:
    """Raise PermissionDenied unless the user may open this revision."""
    if not may_read(user, document, revision):
        raise PermissionDenied(_("You may not open this revision."))
