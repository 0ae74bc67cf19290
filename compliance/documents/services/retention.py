"""Retention and disposition (ISO 9001 7.5.3.2 d): the rule of each document type, a
document's own rule (with its reason), and the signed decision on a revision whose retention
has ended: destroy it, keep it longer (until a date, with the reason), or transfer it to the
archive.

Destroying keeps the revision's metadata, signatures and the disposition record (the audit
trail still verifies), clears its text, drops its stamped public copies, and removes its file
from the store after the commit, but only when no other record refers to the same file
(another revision with the same bytes, an audit's evidence, a corrective action's file ...):
`core.storage_check.referrers` asks every table that keeps a file."""

from __future__ import annotations

import logging
from datetime import date
from functools import partial

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth import reauth
from compliance.core import storage_check, tenancy, uow
from compliance.core.db import check_version, utcnow
from compliance.core.errors import Conflict, DomainError, NotFound
from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.documents import rules as document_rules
from compliance.documents import search
from compliance.documents.models import DOC_TYPES, Document, Revision, RevisionCopy
from compliance.documents.records import periods, queries
from compliance.documents.records import rules as records
from compliance.documents.records.models import BASES, DECISIONS, Disposition, RetentionRule
from compliance.documents.services.holds import ensure_not_held

log = logging.getLogger(__name__)
MAX_YEARS = 100
# What each decision leaves on the revision.
OUTCOME = {"destroy": "destroyed", "transfer": "transferred"}


def _checked_rule(basis: str, years) -> tuple[str, int]:
    if basis not in BASES:
        raise DomainError(_("Choose how the retention is counted."), field="basis")
    if basis == "permanent":
        return basis, 0
    if years is None or not (1 <= int(years) <= MAX_YEARS):
        raise DomainError(_("Give a number of years between 1 and %(max)d.", max=MAX_YEARS),
                          field="years")
    return basis, int(years)


def update_rule(actor, doc_type: str, expected_version: int | None, *, basis: str,
                years) -> RetentionRule:
    """Change the retention rule of a document type (version 0: the built-in rule seen)."""
    document_rules.ensure(records.may_manage_retention(actor))
    if doc_type not in DOC_TYPES:
        raise NotFound(_("Unknown document type."))
    organisation_id = tenancy.acting_organisation_id()
    rule = db.session.get(RetentionRule, (organisation_id, doc_type),
                          with_for_update={"of": RetentionRule})
    stale = _("Someone else changed this rule while you were editing it. Reload the page and "
              "apply your change again.")
    if rule is None:
        if expected_version != 0:
            raise Conflict(stale)
        default = periods.DEFAULT_RULES[doc_type]
        rule = RetentionRule(organisation_id=organisation_id, doc_type=doc_type,
                             basis=default[0], years=default[1])
        db.session.add(rule)
    else:
        check_version(rule, expected_version, stale)
    basis, years = _checked_rule(basis, years)
    before = rule.snapshot()
    rule.basis, rule.years, rule.updated_at = basis, years, utcnow()
    db.session.flush()
    record(actor, "retention_rule.update", "retention_rule", doc_type, before=before,
           after=rule.snapshot())
    return rule


def set_document_retention(actor, document: Document, expected_version: int | None, *,
                           basis: str | None, years, reason: str) -> Document:
    """Give a document a rule of its own, with the reason (no basis: its type's rule again)."""
    document_rules.ensure(records.may_manage_retention(actor))
    check_version(document, expected_version, _(
        "Someone else changed this document while you were deciding. Reload the page, check "
        "it and decide again."))
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for this document's retention."), field="reason")
    before = {"retention": [document.retention_basis, document.retention_years,
                            document.retention_reason]}
    if basis:
        basis, years = _checked_rule(basis, years)
        document.retention_basis, document.retention_years = basis, years
    else:
        document.retention_basis = document.retention_years = None
    document.retention_reason = reason.strip()
    db.session.flush()
    record(actor, "document.retention", "document", document.id, before=before,
           after={"retention": [document.retention_basis, document.retention_years,
                                document.retention_reason]})
    return document


def _check_due(document: Document, revision: Revision, today: date) -> date:
    """The last day of retention, refused (409) while it has not passed."""
    until = periods.retained_until(queries.rule_for(document), revision, document)
    if until is None:
        raise DomainError(_("Revision %(label)s is not due for disposition: it is kept "
                            "permanently or is still in force.", label=revision.label),
                          status=409)
    if until >= today:
        raise DomainError(_("Revision %(label)s is not due for disposition: it is kept until "
                            "%(day)s.", label=revision.label, day=until.isoformat()), status=409)
    return until


def _check_decision(document, revision, expected_version, decision, reason, extended_until,
                    today) -> date:
    if revision.disposition is not None:
        raise DomainError(_("This revision was already disposed of."), status=409)
    if expected_version is None or expected_version != revision.retention_version:
        raise Conflict(_("Someone else decided on this revision while you were deciding. "
                         "Reload the page and decide again."))
    if decision not in DECISIONS:
        raise DomainError(_("Choose what becomes of the revision."), field="decision")
    until = _check_due(document, revision, today)
    if decision != "extend":
        ensure_not_held(document, _("disposed of"))
    elif extended_until is None or extended_until <= today:
        raise DomainError(_("Give the day until which the revision is kept, after today."),
                          field="extended_until")
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the decision."), field="reason")
    return until


def dispose(actor, document: Document, revision: Revision, expected_version: int | None, *,
            decision: str, reason: str, credential: str | None, today: date,
            extended_until: date | None = None) -> Disposition:
    """Decide on a revision whose retention has ended, signed with the password again."""
    document_rules.ensure(records.may_dispose(actor),
                          _("Only ISO coordinators can decide a disposition."))
    until = _check_decision(document, revision, expected_version, decision, reason,
                            extended_until, today)
    proof = reauth.verify(actor, credential, attempt=reauth.Attempt(
        f"document.disposition.{decision}", "document", document.id,
        {"revision": revision.label}),
        message=_("The password is not correct; nothing was changed."))
    before = {"revision": revision.label, "disposition": revision.disposition,
              "keep_until": revision.keep_until}
    now = utcnow()
    if decision == "extend":
        revision.keep_until = extended_until
    else:
        revision.disposition, revision.disposed_at = OUTCOME[decision], now
    copies = _destroy_content(revision, now) if decision == "destroy" else []
    revision.retention_version += 1
    row = Disposition(revision_id=revision.id, decision=decision, reason=reason.strip(),
                      kept_until=until, extended_until=extended_until if decision == "extend"
                      else None, signer_id=actor.id, signer_name=actor.name,
                      method=proof.method, decided_at=now)
    db.session.add(row)
    db.session.flush()
    if decision == "destroy":
        row.file_removed = _remove_unreferenced([revision.blob_sha256, *copies])
        search.index_document(document)
    record(actor, "document.disposition", "document", document.id, before=before,
           after={"revision": revision.label, "decision": decision, "reason": row.reason,
                  "kept_until": until, "extended_until": row.extended_until,
                  "disposition": revision.disposition, "file_sha256": revision.blob_sha256,
                  "file_removed": row.file_removed, "signer": actor.name,
                  **proof.record})
    return row


def _destroy_content(revision: Revision, now) -> list[str]:
    """Mark the file destroyed, forget its text and drop its stamped copies; returns the
    copies' files, to be removed with it."""
    revision.blob_destroyed_at, revision.text_content = now, None
    copies = list(db.session.scalars(select(RevisionCopy).where(
        RevisionCopy.revision_id == revision.id)))
    for copy in copies:
        db.session.delete(copy)
    db.session.flush()
    return [c.blob_sha256 for c in copies]


def _remove_unreferenced(digests: list[str]) -> bool:
    """Queue the removal of each file no record refers to any more; True when the first
    (the revision's own) is among them."""
    removed = []
    for sha256 in dict.fromkeys(digests):
        if not storage_check.referrers(db.session, db.metadata, sha256):
            uow.after_commit(partial(_remove_file, sha256))
            removed.append(sha256)
    return bool(digests) and digests[0] in removed


def _remove_file(sha256: str) -> None:
    """After the commit: remove the file unless a record refers to it again, or it was
    stored again within the hour (an upload of the same bytes may be on its way to its
    commit; the file then stays, named by the trail, as `storage verify` reports it)."""
    store = get_store()
    try:
        if not store.exists(sha256) or storage_check.referrers(db.session, db.metadata,
                                                                sha256):
            return
        if store.age(sha256) < storage_check.ORPHAN_GRACE_SECONDS:
            log.warning("destroyed file %s was stored again within the hour: kept", sha256)
            return
        store.remove(sha256)
    finally:
        db.session.rollback()  # end the read this check began, after the commit
