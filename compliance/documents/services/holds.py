"""Legal holds: placed by a coordinator on a document, a department's documents or the
documents an audit cites (reason, who, when), lifted with a reason and a signature. While a
hold is in force nothing it covers may be disposed of, made obsolete or withdrawn:
`ensure_not_held` is the one check every such verb makes."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.audits.models import Audit
from compliance.auth import reauth
from compliance.core.db import check_version, utcnow
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.documents import rules as document_rules
from compliance.documents.models import Document
from compliance.documents.records import queries
from compliance.documents.records import rules as records
from compliance.documents.records.models import HOLD_SCOPES, LegalHold
from compliance.org.models import Department


def get_hold(hold_id: int, for_update: bool = False) -> LegalHold:
    """A hold, or NotFound."""
    lock = {"of": LegalHold} if for_update else None
    hold = db.session.get(LegalHold, hold_id, with_for_update=lock)
    if hold is None:
        raise NotFound(_("No such legal hold."))
    return hold


def ensure_not_held(document: Document, refused: str) -> None:
    """Refuse (409) an action that would dispose of, withdraw or remove what a hold covers;
    `refused` names the action ("made obsolete")."""
    holds = queries.holds_on(document)
    if holds:
        first = holds[0]
        raise DomainError(_(
            "%(code)s is under a legal hold (“%(reason)s”, placed by %(who)s): it cannot be "
            "%(refused)s until the hold is lifted.", code=document.code, reason=first.reason,
            who=first.placed_by.name, refused=refused), status=409)


def _target(scope: str, document_code: str | None, department_id: int | None,
            audit_id: int | None) -> dict:
    """The record a hold goes on, checked, as the hold's columns."""
    if scope == "document":
        code = (document_code or "").strip().upper()
        found = db.session.scalar(select(Document.id).where(Document.code == code)) \
            if code else None
        if found is None:
            raise DomainError(_("Give the code of a registered document."),
                              field="document_code")
        return {"document_id": found}
    if scope == "department":
        if not department_id or db.session.get(Department, department_id) is None:
            raise DomainError(_("Choose the department."), field="department_id")
        return {"department_id": department_id}
    if not audit_id or db.session.get(Audit, audit_id) is None:
        raise DomainError(_("Choose the audit."), field="audit_id")
    return {"audit_id": audit_id}


def place_hold(actor, *, scope: str, reason: str, document_code: str | None = None,
               department_id: int | None = None, audit_id: int | None = None) -> LegalHold:
    """Place a hold with its reason; who and when are recorded."""
    document_rules.ensure(records.may_place_hold(actor),
                          _("Only ISO coordinators can place a legal hold."))
    if scope not in HOLD_SCOPES:
        raise DomainError(_("Choose what the hold is placed on."), field="scope")
    target = _target(scope, document_code, department_id, audit_id)
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the hold."), field="reason")
    hold = LegalHold(scope=scope, reason=reason.strip(), placed_by_id=actor.id,
                     placed_at=utcnow(), **target)
    db.session.add(hold)
    db.session.flush()
    record(actor, "legal_hold.place", "legal_hold", hold.id, after=hold.snapshot())
    return hold


def lift_hold(actor, hold: LegalHold, expected_version: int | None, *, reason: str,
              credential: str | None) -> LegalHold:
    """Lift a hold: the reason, signed with the password again, on the version seen."""
    document_rules.ensure(records.may_place_hold(actor),
                          _("Only ISO coordinators can lift a legal hold."))
    if not hold.in_force:
        raise DomainError(_("This hold is already lifted."), status=409)
    check_version(hold, expected_version, _(
        "Someone else changed this hold while you were deciding. Reload the page and decide "
        "again."))
    if not (reason or "").strip():
        raise DomainError(_("Give the reason why the hold is lifted."), field="reason")
    proof = reauth.verify(actor, credential, attempt=reauth.Attempt(
        "legal_hold.lift", "legal_hold", hold.id),
        message=_("The password is not correct; nothing was changed."))
    before = hold.snapshot()
    hold.lifted_by_id, hold.lifted_at, hold.lift_reason = actor.id, utcnow(), reason.strip()
    db.session.flush()
    record(actor, "legal_hold.lift", "legal_hold", hold.id, before=before,
           after={**hold.snapshot(), "signer": actor.name, **proof.record})
    return hold
