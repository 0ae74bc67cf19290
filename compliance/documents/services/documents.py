"""Documents: loading, codes, registration, changes to the register entry."""

from __future__ import annotations

import re
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.core.counters import next_value
from compliance.core.db import check_version
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.documents import rules, search
from compliance.documents.dates import add_months
from compliance.documents.models import (
    DOC_TYPES,
    TYPE_PREFIX,
    Document,
    PeriodicReview,
    Revision,
)
from compliance.org.models import Clause, Department

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")


def get_document(document_id: int, for_update: bool = False) -> Document:
    """Load a document or raise NotFound."""
    # "of": lock the document row only, not the rows of its eagerly joined owner/department.
    lock = {"of": Document} if for_update else None
    document = db.session.get(Document, document_id, with_for_update=lock)
    if document is None:
        raise NotFound(_("No such document."))
    return document


def get_revision(document: Document, revision_id: int, for_update: bool = False) -> Revision:
    """A revision of this document, or NotFound."""
    lock = {"of": Revision} if for_update else None
    revision = db.session.get(Revision, revision_id, with_for_update=lock)
    if revision is None or revision.document_id != document.id:
        raise NotFound(_("No such revision."))
    return revision


def check_code_pattern(pattern: str) -> None:
    """Refuse, at start-up, a code pattern that cannot make valid codes."""
    try:
        sample = pattern.format(type="QT", dept="TCKH", seq=7)
    except (KeyError, IndexError, ValueError) as error:
        raise RuntimeError(f"COMPLIANCE_DOCUMENT_CODE_PATTERN {pattern!r} is not valid: use "
                           "{type}, {dept} and {seq} (e.g. {seq:02d})") from error
    if not CODE_PATTERN.match(sample) or "{seq" not in pattern:
        raise RuntimeError(f"COMPLIANCE_DOCUMENT_CODE_PATTERN {pattern!r} makes {sample!r}: a "
                           "code needs {seq} and only capitals, digits, '.', '-' and '_'")


def generate_code(doc_type: str, department: Department) -> str:
    """Next free code for a type in a department, from the configured pattern."""
    pattern = current_app.config["DOCUMENT_CODE_PATTERN"]
    while True:
        number = next_value(f"document-code:{doc_type}:{department.id}")
        code = pattern.format(type=TYPE_PREFIX[doc_type], dept=department.code, seq=number)
        if db.session.scalar(select(Document.id).where(
                Document.organisation_id == department.organisation_id,
                Document.code == code)) is None:
            return code


def _check_fields(fields: dict) -> None:
    if fields["doc_type"] not in DOC_TYPES:
        raise DomainError(_("Unknown document type."), field="doc_type")
    if not (1 <= int(fields["review_interval_months"]) <= 120):
        raise DomainError(_("The review interval must be between 1 and 120 months."),
                          field="review_interval_months")
    if not fields["title_vi"].strip():
        raise DomainError(_("A Vietnamese title is required."), field="title_vi")
    owner = db.session.get(User, fields["owner_id"])
    if owner is None or not owner.active:
        raise DomainError(_("Choose an active user as the owner."), field="owner_id")


def _clauses(clause_ids) -> list[Clause]:
    ids = {int(i) for i in clause_ids or ()}
    found = list(db.session.scalars(select(Clause).where(Clause.id.in_(ids)))) if ids else []
    if len(found) != len(ids):
        raise DomainError(_("Unknown ISO clause."), field="clause_ids")
    return found


def create_document(actor, *, code: str | None = None, clause_ids=(), reader_ids=(),
                    **fields) -> Document:
    """Register a document; its code is generated unless a coordinator sets one."""
    department = db.session.get(Department, fields["department_id"])
    if department is None:
        raise NotFound(_("No such department."))
    rules.ensure(rules.may_draft(actor, department.id))
    _check_fields(fields)
    if code:
        rules.ensure(rules.may_choose_code(actor),
                     _("Only ISO coordinators can choose a code by hand."))
        code = _unique_code(code.strip().upper(), None)
    else:
        code = generate_code(fields["doc_type"], department)
    document = Document(code=code, status="draft", **_clean(fields))
    document.clauses = _clauses(clause_ids)
    document.reader_departments = _departments(reader_ids, department.id)
    db.session.add(document)
    db.session.flush()
    record(actor, "document.create", "document", document.id, after=document.snapshot())
    search.index_document(document)
    return document


def update_document(actor, document: Document, expected_version: int | None, *,
                    clause_ids=(), reader_ids=(), code: str | None = None,
                    **fields) -> Document:
    """Change a document's register entry; a stale form gets a conflict."""
    rules.ensure(rules.may_revise(actor, document))
    if fields["department_id"] != document.department_id:
        rules.ensure(rules.may_draft(actor, fields["department_id"]))
    check_version(document, expected_version, _("Someone else changed this document while you "
                                                "were editing it. Reload the page and apply "
                                                "your change again."))
    ensure_not_obsolete(document)
    _check_fields(fields)
    before = document.snapshot()
    interval_changed = int(fields["review_interval_months"]) != document.review_interval_months
    if code and code.strip().upper() != document.code:
        rules.ensure(rules.may_choose_code(actor), _("Only ISO coordinators can change a code."))
        document.code = _unique_code(code.strip().upper(), document.id)
    for name, value in _clean(fields).items():
        setattr(document, name, value)
    document.clauses = _clauses(clause_ids)
    document.reader_departments = _departments(reader_ids, document.department_id)
    if document.status == "effective" and interval_changed:
        document.next_review_date = next_review(document)
    db.session.flush()
    record(actor, "document.update", "document", document.id, before=before,
           after=document.snapshot())
    search.index_document(document)
    return document


def ensure_not_obsolete(document: Document) -> None:
    """Refuse (409) a change to an obsolete document."""
    if document.status == "obsolete":
        raise DomainError(_("This document is obsolete; it cannot be changed."), status=409)


def _departments(department_ids, own_id: int) -> list[Department]:
    ids = {int(i) for i in department_ids or ()} - {own_id}
    found = list(db.session.scalars(select(Department).where(Department.id.in_(ids)))) \
        if ids else []
    if len(found) != len(ids):
        raise NotFound(_("No such department."))
    return found


def _clean(fields: dict) -> dict:
    cleaned = dict(fields)
    for name in ("title_vi", "title_en", "external_source", "external_edition"):
        if isinstance(cleaned.get(name), str):
            cleaned[name] = cleaned[name].strip() or (None if name.startswith("external") else "")
    return cleaned


def _unique_code(code: str, own_id: int | None) -> str:
    if not CODE_PATTERN.match(code):
        raise DomainError(_("A code is 1 to 40 capital letters, digits, '.', '-' or '_'."),
                          field="code")
    found = db.session.scalar(select(Document.id).where(Document.code == code))
    if found is not None and found != own_id:
        # A mistake in the form, not a race: shown at the field with the input kept.
        raise DomainError(_("The code %(code)s is already used.", code=code), field="code")
    return code


def next_review(document: Document) -> date | None:
    """A new interval counts from the last time the document was confirmed: coming into
    force or a 'no change' review, whichever is later."""
    effective = next((r for r in document.revisions if r.status == "effective"), None)
    if effective is None or effective.effective_date is None:
        return document.next_review_date
    reviewed = db.session.scalar(
        select(func.max(PeriodicReview.reviewed_at)).where(
            PeriodicReview.document_id == document.id, PeriodicReview.outcome == "no_change"))
    base = max(effective.effective_date, reviewed.date()) if reviewed else effective.effective_date
    return add_months(base, document.review_interval_months)
