"""Changes to the scope register. Every change checks the entry's `version` (409 on a stale
edit) and leaves its before and after in the audit trail."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core.db import check_version, utcnow
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.org.models import Department, Process
from compliance.quality.measures.models import Measure
from compliance.scope import rules
from compliance.scope.models import SCOPE_KINDS, ScopeEntry


def check_current(row, expected_version: int | None) -> None:
    """Refuse (409) an edit made on another version of the row, or naming none."""
    check_version(row, expected_version, _("Someone else changed this record while you were "
                                           "editing it. Reload the page and apply your "
                                           "change again."))


def get_entry(user, entry_id: int) -> ScopeEntry:
    """An entry of the user's organisation, or NotFound."""
    entry = db.session.scalar(rules.visible_entries(
        user, select(ScopeEntry).where(ScopeEntry.id == entry_id)))
    if entry is None:
        raise NotFound(_("No such entry of the scope."))
    return entry


def _text(value: str | None, field: str, limit: int, missing: str | None = None) -> str:
    value = (value or "").strip()
    if missing and not value:
        raise DomainError(missing, field=field)
    if len(value) > limit:
        raise DomainError(_("At most %(limit)d characters.", limit=limit), field=field)
    return value


def _fields(*, kind: str, name: str, national_code: str, field: str, legal_basis: str,
            time_limit_days: int | None, department_id: int | None, process_id: int | None,
            document_ids, measure_id: int | None = None) -> dict:
    if kind not in SCOPE_KINDS:
        raise DomainError(_("Choose whether it is a procedure or an internal process."),
                          field="kind")
    if time_limit_days is not None and time_limit_days < 0:
        raise DomainError(_("A time limit is a number of days, 0 or more."),
                          field="time_limit_days")
    if department_id and db.session.get(Department, department_id) is None:
        raise DomainError(_("Choose among the listed entries."), field="department_id")
    if process_id and db.session.get(Process, process_id) is None:
        raise DomainError(_("Choose among the listed entries."), field="process_id")
    if measure_id and db.session.get(Measure, measure_id) is None:
        raise DomainError(_("Choose among the listed entries."), field="measure_id")
    ids = sorted(set(document_ids or ()))
    documents = list(db.session.scalars(select(Document).where(Document.id.in_(ids)))) \
        if ids else []
    if len(documents) != len(ids):
        raise DomainError(_("Choose among the listed entries."), field="document_ids")
    return {"kind": kind,
            "name": _text(name, "name", 300, _("Name the procedure or process.")),
            "national_code": _text(national_code, "national_code", 32),
            "field": _text(field, "field", 200),
            "legal_basis": _text(legal_basis, "legal_basis", 5000),
            "time_limit_days": time_limit_days, "department_id": department_id or None,
            "process_id": process_id or None, "measure_id": measure_id or None,
            "documents": documents}


def add_entry(actor, **fields) -> ScopeEntry:
    """Bring a procedure or an internal process into the scope."""
    rules.ensure_manage(actor)
    entry = ScopeEntry(**_fields(**fields))
    db.session.add(entry)
    db.session.flush()
    record(actor, "scope_entry.create", "scope_entry", entry.id, after=entry.snapshot())
    return entry


def edit_entry(actor, entry: ScopeEntry, expected_version: int | None, *, in_scope: bool,
               **fields) -> ScopeEntry:
    """Change an entry (or take it out of scope); refuses a stale edit."""
    rules.ensure_manage(actor)
    check_current(entry, expected_version)
    values = {**_fields(**fields), "in_scope": bool(in_scope)}
    before = entry.snapshot()
    # One UPDATE (one new version) for the whole save: no flush half-way through.
    with db.session.no_autoflush:
        for name, value in values.items():
            setattr(entry, name, value)
        # The documents alone would leave the row (and its version) as it was: touched, the
        # change counts, and a form shown before it is stale too.
        entry.updated_at = utcnow()
    db.session.flush()
    record(actor, "scope_entry.edit", "scope_entry", entry.id, before=before,
           after=entry.snapshot())
    return entry
