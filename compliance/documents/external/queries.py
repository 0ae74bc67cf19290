"""Reads of the register of external documents: the filtered list, and the checks due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select

from compliance.core.extensions import db
from compliance.documents import rules
from compliance.documents.models import Document


@dataclass(frozen=True)
class ExternalFilter:
    """The register's filters: words of the title, number or issuing body; kind; status;
    only those whose check is due by a day."""

    text: str = ""
    kind: str | None = None
    status: str | None = None
    due_by: date | None = None


def _external() -> Select:
    return select(Document).where(Document.doc_type == "external")


def register(user, chosen: ExternalFilter) -> list[Document]:
    """The external documents the user may see, filtered, the next check first."""
    stmt = rules.visible_documents(user, _external())
    if chosen.text:
        words = f"%{chosen.text.lower()}%"
        stmt = stmt.where(or_(*(func.lower(column).like(words) for column in (
            Document.title_vi, Document.title_en, Document.legal_number,
            Document.external_source, Document.code))))
    if chosen.kind:
        stmt = stmt.where(Document.legal_kind == chosen.kind)
    if chosen.status:
        stmt = stmt.where(Document.legal_status == chosen.status)
    if chosen.due_by:
        stmt = stmt.where(Document.external_check_date <= chosen.due_by)
    return list(db.session.scalars(stmt.order_by(
        Document.external_check_date.is_(None), Document.external_check_date, Document.code)))


def replacement_choices(user, own_id: int | None) -> list[tuple[int, str]]:
    """The other external documents, as the "replaced by" list offers them."""
    rows = db.session.scalars(rules.visible_documents(user, _external().where(
        Document.id != (own_id or 0), Document.status != "obsolete"))
        .order_by(Document.code)).all()
    return [(d.id, f"{d.code} — {d.legal_number or d.title_vi}") for d in rows]


def checks_due_by(until: date) -> list[Document]:
    """External documents still in use whose check date falls by `until` (overdue too)."""
    return list(db.session.scalars(_external().where(
        Document.status != "obsolete", Document.external_check_date.is_not(None),
        Document.external_check_date <= until).order_by(Document.external_check_date)))
