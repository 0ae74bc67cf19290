"""Coordinator's notes on six-monthly reports; management reviews and their actions.

Verbs check `rules` (`check=False` is for callers acting as the system, e.g. demo data and
test helpers with no user), validate, mutate, flush and record; they never commit."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.core.errors import Conflict, DomainError, NotFound
from compliance.core.extensions import db
from compliance.org.models import Department
from compliance.reports import rules
from compliance.reports.models import (
    ACTION_STATES,
    ManagementReview,
    ReportNote,
    ReviewAction,
    scope_key,
)
from compliance.reports.periods import HalfYear, parse_period

TEXT_LIMIT = 5000
SUMMARY_LIMIT = 20000


def _text(value: str | None, limit: int, label: str, field: str,
          required: bool = False) -> str:
    # PostgreSQL refuses NUL in text; nothing legitimate needs it.
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise DomainError(_("%(field)s is required.", field=label), field=field)
    if len(value) > limit:
        raise DomainError(_("%(field)s is too long (at most %(limit)s characters).",
                            field=label, limit=limit), field=field)
    return value


# Who may read what --------------------------------------------------------------------------

def get_department(department_id: int) -> Department:
    """A department by id, or 404."""
    department = db.session.get(Department, department_id)
    if department is None:
        raise NotFound(_("No such department."))
    return department


def ensure_may_read_report(user, department_id: int | None) -> None:
    """Org-wide readers read every report; a department head only their department's."""
    rules.ensure(rules.may_read_report(user, department_id), _("You may not read this report."))


# Six-monthly notes ------------------------------------------------------------------------

def save_note(actor, *, department_id: int | None, period: HalfYear, shortcomings: str,
              planned_actions: str, expected_version: int | None = None,
              check: bool = True) -> ReportNote:
    """Write the shortcomings and planned actions of a department's (or the whole
    organisation's) half-year; a stale version is a conflict."""
    if check:
        rules.ensure(rules.may_edit_notes(actor),
                     _("Only an ISO coordinator can write the report's notes."))
    if department_id is not None:
        get_department(department_id)
    fields = {"shortcomings": _text(shortcomings, TEXT_LIMIT, _("Shortcomings"),
                                    "shortcomings"),
              "planned_actions": _text(planned_actions, TEXT_LIMIT, _("Planned actions"),
                                       "planned_actions")}
    note = db.session.scalar(select(ReportNote).where(
        ReportNote.scope == scope_key(department_id), ReportNote.year == period.year,
        ReportNote.half == period.half))
    if note is None:
        note = ReportNote(scope=scope_key(department_id), department_id=department_id,
                          year=period.year, half=period.half, **fields,
                          updated_by_id=getattr(actor, "id", None))
        db.session.add(note)
        db.session.flush()
        record(actor, "report_note.create", "report_note", note.id, after=note.snapshot())
        return note
    if expected_version is not None and expected_version != note.version:
        raise Conflict(_("Someone else changed these notes while you were editing them. "
                         "Reload the page and apply your change again."))
    before = note.snapshot()
    for name, value in fields.items():
        setattr(note, name, value)
    note.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(actor, "report_note.update", "report_note", note.id, before=before,
           after=note.snapshot())
    return note


# Management reviews --------------------------------------------------------------------------

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
                              chair=_text(chair, 200, _("Chair"), "chair", required=True),
                              summary=_text(summary, SUMMARY_LIMIT, _("Summary"), "summary"),
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
                          description=_text(description, TEXT_LIMIT, _("Action"),
                                            "description", required=True),
                          owner_id=owner.id, due_on=due_on, status="open")
    db.session.add(action)
    db.session.flush()
    record(actor, "management_review.action_add", "management_review_action", action.id,
           after=action.snapshot())
    return action


def get_action(review: ManagementReview, action_id: int) -> ReviewAction:
    """An action of this review, or 404."""
    action = db.session.get(ReviewAction, action_id)
    if action is None or action.review_id != review.id:
        raise NotFound(_("No such action."))
    return action


def update_action(actor, action: ReviewAction, *, status: str, outcome_note: str,
                  today: date, check: bool = True) -> ReviewAction:
    """Note progress on an open action, or end it as done or cancelled (final)."""
    if check:
        rules.ensure(rules.may_manage_reviews(actor))
    if status not in ACTION_STATES:
        raise DomainError(_("Choose the status of the action."), field="status")
    if action.status != "open":
        raise Conflict(_("This action is already done or cancelled."))
    note = _text(outcome_note, TEXT_LIMIT, _("Outcome"), "outcome_note",
                 required=status == "cancelled")
    before = action.snapshot()
    action.status, action.outcome_note = status, note
    action.closed_on = today if status != "open" else None
    db.session.flush()
    record(actor, f"management_review.action_{status}", "management_review_action", action.id,
           before=before, after=action.snapshot())
    return action
