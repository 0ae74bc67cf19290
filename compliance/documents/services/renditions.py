"""PDF renditions of office revisions: made at upload, before the write transaction, and the
file every copy of a revision is made from.

A DOCX, XLSX, ODT or ODS file gets a PDF made by LibreOffice (core.pdf.convert) when it is
uploaded, in a limited child, before anything is written; `keep` records it in the upload's
short write transaction. Controlled, superseded and public copies are then stamped PDFs made
from the rendition; the original stays the revision's file, and those who may fetch originals
still get it unchanged.

A file LibreOffice cannot convert, or not within the limits, is refused at the upload's file
field: the controller is at the form with the file in hand and can save it as PDF, whereas a
draft kept without a PDF would go through approval and then hand out unstamped copies, which
is what document control exists to prevent. Only when no converter is installed at all is the
file kept without one: then every copy is the original, with a warning, and the document page
says why. Once a converter is installed, `missing` and `record_made` (the command
`compliance documents make-renditions`) give those revisions, and the ones uploaded before
renditions existed, theirs."""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core.db import insert_ignoring_duplicates, utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.pdf import PdfRefused, check_upload, convert
from compliance.core.storage import get_store
from compliance.documents.models import Document, Rendition, Revision

OFFICE_KINDS = convert.KINDS


@dataclass(frozen=True)
class PreparedRendition:
    """A rendition made (or found) and stored, ready to be recorded."""

    sha256: str
    size: int


def renderer_installed() -> bool:
    """Whether office files can be made into PDF on this server (OFFICE_RENDERER)."""
    return convert.renderer() is not None


def prepare(kind: str, source_sha256: str, content: bytes) -> PreparedRendition | None:
    """The rendition of an accepted upload: the one made before of the same file, else a new
    one (the long part, no database write); None for a file that needs none (PDF, images)
    or when no converter is installed. A refusal names the file field."""
    if kind not in OFFICE_KINDS:
        return None
    known = db.session.scalar(select(Rendition).where(Rendition.source_sha256 == source_sha256))
    if known is not None and get_store().exists(known.blob_sha256):
        return PreparedRendition(known.blob_sha256, known.size)
    binary = convert.renderer()
    if binary is None:
        return None
    try:
        pdf = convert.convert_limited(kind, content, binary)
        _check(pdf)
    except DomainError as error:
        error.field = "file"
        raise
    blob = get_store().put(io.BytesIO(pdf), max_bytes=len(pdf))
    return PreparedRendition(blob.sha256, blob.size)


def _check(pdf: bytes) -> None:
    """The rendition is held to the limits of an uploaded PDF: its copies cost the same."""
    try:
        check_upload(pdf)
    except PdfRefused as refused:
        raise PdfRefused(_("The PDF made of this file was refused: %(reason)s",
                           reason=refused.message), status=refused.status) from None


def keep(source_sha256: str, prepared: PreparedRendition | None) -> None:
    """Record a rendition just prepared; a record there already (made at the same moment by
    another upload, or its file since lost) is pointed at this one."""
    if prepared is None:
        return
    existing = db.session.scalar(select(Rendition).where(
        Rendition.source_sha256 == source_sha256))
    if existing is not None:
        if existing.blob_sha256 != prepared.sha256:
            existing.blob_sha256, existing.size = prepared.sha256, prepared.size
            db.session.flush()
        return
    insert_ignoring_duplicates(db.session, Rendition, [{
        "source_sha256": source_sha256, "blob_sha256": prepared.sha256,
        "size": prepared.size, "created_at": utcnow()}], unique=["source_sha256"])


def needs_rendition(revision: Revision) -> bool:
    """An office file without a rendition: its copies are the original, unstamped."""
    return revision.file_kind in OFFICE_KINDS and revision.rendition is None


def source_of(revision: Revision) -> tuple[str, str]:
    """The stored file a copy of the revision is made from and its kind: the rendition of an
    office file when there is one, else the revision's own file."""
    if revision.rendition is not None:
        return revision.rendition.blob_sha256, "pdf"
    return revision.blob_sha256, revision.file_kind


@dataclass(frozen=True)
class Missing:
    """An office file that revisions hold without a rendition, and those revisions
    (document id, code, label)."""

    source_sha256: str
    kind: str
    revisions: tuple[tuple[int, str, str], ...]


def missing() -> list[Missing]:
    """Every office file held by a revision and not yet made into PDF, once each."""
    rows = db.session.execute(
        select(Revision.blob_sha256, Revision.file_kind, Document.id, Document.code,
               Revision.label)
        .join(Document, Document.id == Revision.document_id)
        .outerjoin(Rendition, Rendition.source_sha256 == Revision.blob_sha256)
        .where(Revision.file_kind.in_(OFFICE_KINDS), Rendition.id.is_(None))
        .order_by(Document.code, Revision.number))
    found: dict[str, tuple[str, list]] = {}
    for sha256, kind, document_id, code, label in rows:
        found.setdefault(sha256, (kind, []))[1].append((document_id, code, label))
    return [Missing(sha256, kind, tuple(held)) for sha256, (kind, held) in found.items()]


def record_made(actor, item: Missing, prepared: PreparedRendition) -> None:
    """Record a rendition made afterwards for revisions that had none, with an audit event
    on each of their documents."""
    keep(item.source_sha256, prepared)
    for document_id, _code, label in item.revisions:
        record(actor, "revision.rendition", "document", document_id,
               after={"label": label, "sha256": item.source_sha256,
                      "rendition_sha256": prepared.sha256})
