"""What the public registers publish: the documents flagged public, in force, with a file
kept, of one organisation, and the search their page (and the API) offers over them."""

from __future__ import annotations

from sqlalchemy import select

from compliance.core import tenancy
from compliance.core.collation import plain
from compliance.documents.models import Document, Revision
from compliance.org import organisations


def readers_organisation_id() -> int:
    """The signed-in person's organisation, else the default one."""
    return tenancy.current_organisation_id() or organisations.default_organisation_id()


def published(organisation_id: int):
    """(document, revision in force) of an organisation's public register."""
    return (select(Document, Revision)
            .join(Revision, (Revision.document_id == Document.id)
                  & (Revision.status == "effective")
                  & Revision.blob_destroyed_at.is_(None))
            .where(Document.is_public.is_(True), Document.status == "effective",
                   Document.organisation_id == organisation_id))


def matches(document: Document, words: str, department_id: int | None) -> bool:
    """Whether a document is in the department asked for and holds every word asked for,
    in its code or either title, tones and case aside ("quy trinh" finds "Quy trình")."""
    if department_id is not None and document.department_id != department_id:
        return False
    text = plain(" ".join((document.code, document.title_vi, document.title_en or "")))
    return all(word in text for word in plain(words).split())
