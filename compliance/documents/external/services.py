"""Changes to the register of external documents. An external document is a controlled
document of type "external" (documents.services.documents registers it); this adds what the
register says of it as a legal document, and the checks: when someone last looked whether it
is still in force, and when to look again (the scheduler chases that date)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core.db import check_version
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.documents import rules as documents
from compliance.documents.external import rules
from compliance.documents.external.labels import KINDS, STATUSES
from compliance.documents.models import Document
from compliance.documents.services.documents import create_document, ensure_not_obsolete


def get_external(user, document_id: int) -> Document:
    """An external document the user may see, or NotFound."""
    found = db.session.scalar(documents.visible_documents(user, select(Document).where(
        Document.id == document_id, Document.doc_type == "external")))
    if found is None:
        raise NotFound(_("No such external document."))
    return found


def _text(value: str | None, field: str, limit: int) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(_("At most %(limit)d characters.", limit=limit), field=field)
    return value or None


def _legal(actor, own: Document | None, *, legal_kind: str, legal_number: str,
           external_source: str, legal_issued_on: date | None, legal_status: str,
           replaced_by_id: int | None, external_check_date: date | None,
           external_checked_on: date | None, today: date) -> dict:
    if legal_kind not in KINDS:
        raise DomainError(_("Choose among the listed entries."), field="legal_kind")
    if legal_status not in STATUSES:
        raise DomainError(_("Choose among the listed entries."), field="legal_status")
    if legal_status == "replaced" and not replaced_by_id:
        raise DomainError(_("Name the document that replaces it."), field="replaced_by_id")
    if replaced_by_id:
        other = db.session.scalar(documents.visible_documents(actor, select(Document).where(
            Document.id == replaced_by_id, Document.doc_type == "external")))
        if other is None or (own and other.id == own.id):
            raise DomainError(_("Choose among the listed entries."), field="replaced_by_id")
    if legal_issued_on and legal_issued_on > today:
        raise DomainError(_("The date issued cannot be in the future."),
                          field="legal_issued_on")
    if external_checked_on and external_checked_on > today:
        raise DomainError(_("A check cannot be recorded in the future."),
                          field="external_checked_on")
    return {"legal_kind": legal_kind, "legal_status": legal_status,
            "legal_number": _text(legal_number, "legal_number", 64),
            "external_source": _text(external_source, "external_source", 300),
            "legal_issued_on": legal_issued_on,
            "replaced_by_id": replaced_by_id or None,
            "external_check_date": external_check_date,
            "external_checked_on": external_checked_on}


def add_external(actor, *, department_id: int, title_vi: str, title_en: str, today: date,
                 **legal) -> Document:
    """Register an external document: a controlled document of type "external", owned by
    the coordinator who adds it, with what the register says of it."""
    rules.ensure_keep(actor)
    return create_document(actor, doc_type="external", department_id=department_id,
                           title_vi=title_vi, title_en=title_en, owner_id=actor.id,
                           review_interval_months=12, is_public=False,
                           **_legal(actor, None, today=today, **legal))


def edit_external(actor, document: Document, expected_version: int | None, *,
                  title_vi: str, title_en: str, today: date, **legal) -> Document:
    """Change an external document's register entry; a stale form gets a conflict (409)."""
    rules.ensure_keep(actor)
    check_version(document, expected_version, _("Someone else changed this document while you "
                                                "were editing it. Reload the page and apply "
                                                "your change again."))
    ensure_not_obsolete(document)
    if not (title_vi or "").strip():
        raise DomainError(_("A Vietnamese title is required."), field="title_vi")
    values = {"title_vi": _text(title_vi, "title_vi", 300),
              "title_en": _text(title_en, "title_en", 300) or "",
              **_legal(actor, document, today=today, **legal)}
    before = document.snapshot()
    for name, value in values.items():
        setattr(document, name, value)
    db.session.flush()
    record(actor, "document.update", "document", document.id, before=before,
           after=document.snapshot())
    return document
