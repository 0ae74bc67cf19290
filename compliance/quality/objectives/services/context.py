"""The context of the organisation: internal and external issues (4.1) and interested
parties with their requirements (4.2), each reviewed by its date (the scheduler chases it).

Both are kept by coordinators (`rules.ensure_manage_context`); every change checks the
record's `version` and leaves its before and after in the audit trail."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.quality.objectives import rules
from compliance.quality.objectives.models import (
    CONTEXT_STATES,
    ISSUE_KINDS,
    ContextIssue,
    InterestedParty,
)
from compliance.quality.objectives.services.common import check_version, clean

ENTITY = {ContextIssue: "context_issue", InterestedParty: "interested_party"}


def _review_on(review_on: date | None, today: date, *, unchanged: date | None = None) -> date:
    if review_on is None:
        raise DomainError(_("Give the date of the next review."), field="review_on")
    # An overdue date kept as it was may stay (its review is still to do); a new one may not.
    if review_on < today and review_on != unchanged:
        raise DomainError(_("The review date cannot be in the past."), field="review_on")
    return review_on


def _status(status: str) -> str:
    if status not in CONTEXT_STATES:
        raise DomainError(_("Choose whether it is still relevant."), field="status")
    return status


def _issue_fields(*, kind: str, description: str, effect: str) -> dict:
    if kind not in ISSUE_KINDS:
        raise DomainError(_("Choose whether the issue is internal or external."), field="kind")
    return {"kind": kind,
            "description": clean(description, field="description",
                                 missing=_("Describe the issue.")),
            "effect": clean(effect, field="effect",
                            missing=_("Say how it affects the quality system."))}


def _party_fields(*, name_vi: str, name_en: str, requirements: str) -> dict:
    return {"name_vi": clean(name_vi, field="name_vi", limit=200,
                             missing=_("Name the interested party in Vietnamese.")),
            "name_en": clean(name_en, field="name_en", limit=200),
            "requirements": clean(requirements, field="requirements",
                                  missing=_("Give the party's requirements relevant to the "
                                            "quality system."))}


def _create(actor, model, fields: dict, review_on: date | None, today: date):
    rules.ensure_manage_context(actor)
    row = model(review_on=_review_on(review_on, today), status="active", **fields)
    db.session.add(row)
    db.session.flush()
    record(actor, f"{ENTITY[model]}.create", ENTITY[model], row.id, after=row.snapshot())
    return row


def _edit(actor, row, fields: dict, *, review_on: date | None, status: str, today: date,
          expected_version: int | None):
    rules.ensure_manage_context(actor)
    check_version(row, expected_version)
    values = {**fields, "status": _status(status),
              "review_on": _review_on(review_on, today, unchanged=row.review_on)}
    before = row.snapshot()
    for name, value in values.items():
        setattr(row, name, value)
    db.session.flush()
    record(actor, f"{ENTITY[type(row)]}.edit", ENTITY[type(row)], row.id, before=before,
           after=row.snapshot())
    return row


def create_issue(actor, *, kind: str, description: str, effect: str, review_on: date | None,
                 today: date) -> ContextIssue:
    """Record an internal or external issue and when it is next reviewed."""
    return _create(actor, ContextIssue, _issue_fields(kind=kind, description=description,
                                                      effect=effect), review_on, today)


def edit_issue(actor, issue: ContextIssue, *, kind: str, description: str, effect: str,
               review_on: date | None, status: str, today: date,
               expected_version: int | None) -> ContextIssue:
    """Change an issue, its review date, or say it is no longer relevant."""
    return _edit(actor, issue, _issue_fields(kind=kind, description=description,
                                             effect=effect),
                 review_on=review_on, status=status, today=today,
                 expected_version=expected_version)


def create_party(actor, *, name_vi: str, name_en: str, requirements: str,
                 review_on: date | None, today: date) -> InterestedParty:
    """Record an interested party, its relevant requirements and its review date."""
    return _create(actor, InterestedParty, _party_fields(name_vi=name_vi, name_en=name_en,
                                                         requirements=requirements),
                   review_on, today)


def edit_party(actor, party: InterestedParty, *, name_vi: str, name_en: str,
               requirements: str, review_on: date | None, status: str, today: date,
               expected_version: int | None) -> InterestedParty:
    """Change an interested party, its requirements or its review date."""
    return _edit(actor, party, _party_fields(name_vi=name_vi, name_en=name_en,
                                             requirements=requirements),
                 review_on=review_on, status=status, today=today,
                 expected_version=expected_version)


def mark_reviewed(actor, row, *, next_review_on: date | None, today: date,
                  expected_version: int | None):
    """Say an issue or a party was reviewed today, and when it is next reviewed."""
    rules.ensure_manage_context(actor)
    check_version(row, expected_version)
    if next_review_on is None:
        raise DomainError(_("Give the date of the next review."), field="next_review_on")
    if next_review_on <= today:
        raise DomainError(_("The next review must come after today."), field="next_review_on")
    before = row.snapshot()
    row.reviewed_on, row.review_on = today, next_review_on
    db.session.flush()
    record(actor, f"{ENTITY[type(row)]}.review", ENTITY[type(row)], row.id, before=before,
           after=row.snapshot())
    return row


def get_issue(issue_id: int, for_update: bool = False) -> ContextIssue:
    """Load a context issue or raise NotFound."""
    return _get(ContextIssue, issue_id, for_update, _("No such issue."))


def get_party(party_id: int, for_update: bool = False) -> InterestedParty:
    """Load an interested party or raise NotFound."""
    return _get(InterestedParty, party_id, for_update, _("No such interested party."))


def _get(model, row_id: int, for_update: bool, message: str):
    row = db.session.get(model, row_id, with_for_update={"of": model} if for_update else None)
    if row is None:
        raise NotFound(message)
    return row
