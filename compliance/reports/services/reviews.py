"""Management reviews (clause 9.3) and the actions they decide."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.core.db import get_child
from compliance.core.errors import Conflict, DomainError, NotFound
from compliance.core.extensions import db
from compliance.reports import rules
from compliance.reports.models import (
    ACTION_STATES,
    ManagementReview,
    ReviewAction,
)
from compliance.reports.periods import parse_period
from compliance.reports.services.text import SUMMARY_LIMIT, TEXT_LIMIT, clean_text


def get_review(user, review_id: int) -> ManagementReview:
    """A management review the user may read, or 404."""
    rules.ensure(rules.may_read_reviews(user))
    review = db.session.get(ManagementReview, review_id)
    if review is None:
        raise NotFound(_("No such management review."))
    return review


def create_review(actor, *, held_on: date | None, period_start: date | None,
                  period_end: date | None, chair: str, summary: str = "",
                  check: bool = True) -> ManagementReview:
    """Record a management review meeting."""
    if check:
        rules.ensure(rules.may_manage_reviews(actor))
    if held_on is None:
        raise DomainError(_("Give the date the review was held."), field="held_on")
    period = parse_period(period_start, period_end)
    review = ManagementReview(held_on=held_on, period_start=period.start, period_end=period.end,
                              chair=clean_text(chair, 200, _("Chair"), "chair", required=True),
                              summary=clean_text(summary, SUMMARY_LIMIT, _("Summary"), "summary"),
                              created_by_id=getattr(actor, "id", None))
    db.session.add(review)
    db.session.flush()
    record(actor, "management_review.create", "management_review", review.id,
           after=review.snapshot())
    return review


def add_action(actor, review: ManagementReview, *, description: str, owner_id: int | None,
               due_on: date | None, check: bool = True) -> ReviewAction:
    """Add a decided action to a review."""
    if check:
        rules.ensure(rules.may_manage_reviews(actor))
    owner = db.session.get(User, owner_id) if owner_id else None
    if owner is None or not owner.active:
        raise DomainError(_("Choose who owns the action."), field="owner_id")
    if due_on is None:
        raise DomainError(_("Give the due date of the action."), field="due_on")
    action = ReviewAction(review_id=review.id,
                          description=clean_text(description, TEXT_LIMIT, _("Action"),
                                            "description", required=True),
                          owner_id=owner.id, due_on=due_on, status="open")
    db.session.add(action)
    db.session.flush()
    record(actor, "management_review.action_add", "management_review_action", action.id,
           after=action.snapshot())
    return action


def get_action(review: ManagementReview, action_id: int) -> ReviewAction:
    """An action of this review, or 404."""
    return get_child(db.session, ReviewAction, action_id, _("No such action."),
                     review_id=review.id)


def update_action(actor, action: ReviewAction, *, status: str, outcome_note: str,
                  today: date, expected_version: int | None,
                  check: bool = True) -> ReviewAction:
    """Note progress on an open action, or end it as done or cancelled (final). The version
    the editor saw must be the current one: a missing or stale one is a conflict."""
    if check:
        rules.ensure(rules.may_manage_reviews(actor))
    if status not in ACTION_STATES:
        raise DomainError(_("Choose the status of the action."), field="status")
    if action.status != "open":
        raise Conflict(_("This action is already done or cancelled."))
    if expected_version is None or expected_version != action.version:
        raise Conflict(_("Someone else changed this record while you were editing it. "
                         "Reload the page and apply your change again."))
    note = clean_text(outcome_note, TEXT_LIMIT, _("Outcome"), "outcome_note",
                 required=status == "cancelled")
    before = action.snapshot()
    action.status, action.outcome_note = status, note
    action.closed_on = today if status != "open" else None
    db.session.flush()
    record(actor, f"management_review.action_{status}", "management_review_action", action.id,
           before=before, after=action.snapshot())
    return action
