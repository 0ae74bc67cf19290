"""Periodic reviews: the owner confirms a document is still right, or opens a revision."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.documents import rules
from compliance.documents.dates import add_months
from compliance.documents.labels import OUTCOMES
from compliance.documents.models import Document, PeriodicReview
from compliance.documents.services.revisions import reopen_from_effective


def ensure_effective(document: Document) -> None:
    """Refuse work that needs a revision in force."""
    if document.status != "effective":
        raise DomainError(_("This document has no revision in force."), status=409)


def record_review(actor, document: Document, *, outcome: str, comment: str,
                  today: date) -> PeriodicReview:
    """The owner's periodic review: no change (extends the cycle) or revise (opens a draft)."""
    if outcome not in OUTCOMES:
        raise DomainError(_("Choose the outcome of the review."), field="outcome")
    rules.ensure_review(actor, document)
    ensure_effective(document)
    if not (comment or "").strip():
        raise DomainError(_("Write a comment for the review record."), field="comment")
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
        reopen_from_effective(actor, document, _("Periodic review: %(comment)s",
                                                 comment=review.comment))
    return review
