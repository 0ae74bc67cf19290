"""Copies handed out: the stamp printed on a controlled or public copy, the stamping itself,
the public register's copies kept for reuse, and the log of every copy issued.

Stamping takes a limited child process (core.pdf.stamp_limited), so it is kept apart from
recording: a view reads the file and builds the stamp, stamps with no write transaction
open, then begins writing only to call `record_copy` (and `keep_public_copy`). Every copy of
a PDF has the file's active content removed; the original is never changed. An office file's
copies are made from its PDF rendition (services.renditions.source_of)."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core.clock import local_date
from compliance.core.db import insert_ignoring_duplicates, utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.locale import format_day, format_moment
from compliance.core.pdf import Stamp, stamp_limited
from compliance.core.storage import BlobCorrupted, get_store
from compliance.documents import chain, rules
from compliance.documents.labels import STATUS_LABELS
from compliance.documents.models import Document, DownloadLog, Revision, RevisionCopy
from compliance.documents.services import renditions


def controlled_stamp(document: Document, revision: Revision, issued_to: str) -> Stamp:
    """The header, footer and watermark printed on a controlled copy."""
    status = str(STATUS_LABELS.get(revision.status, revision.status))
    effective = format_day(revision.effective_date) if revision.effective_date else "—"
    header = _("%(code)s · revision %(label)s · %(status)s · effective %(date)s",
               code=document.code, label=revision.label, status=status, date=effective)
    footer = _("Issued to %(name)s at %(time)s · UNCONTROLLED WHEN PRINTED",
               name=issued_to, time=format_moment(utcnow()))
    # The whole approval chain: each step, who signed it and when, or that it is awaited.
    steps = chain.printed(document, revision)
    if steps:
        header = f"{header} · {'; '.join(steps)}"
    watermark = None
    if revision.status in ("superseded", "obsolete"):
        watermark = _("SUPERSEDED — NOT FOR USE") if revision.status == "superseded" \
            else _("OBSOLETE — NOT FOR USE")
    elif revision.status != "effective":
        watermark = _("DRAFT — NOT IN FORCE")
    return Stamp(header=header, footer=footer, watermark=watermark)


def public_stamp(document: Document, revision: Revision) -> Stamp:
    """What the public register prints on its information copies."""
    return Stamp(header=f"{document.code} · {revision.label}",
                 footer=_("Public information copy · UNCONTROLLED WHEN PRINTED"))


def ensure_file_kept(document: Document, revision: Revision) -> None:
    """Refuse (410, saying so) a copy of a revision whose file a disposition destroyed: its
    record, signatures and history stay on the document's page."""
    if revision.blob_destroyed_at is not None:
        raise DomainError(_("The file of %(code)s revision %(label)s was destroyed on %(day)s "
                            "under the retention rules. Its record, signatures and history "
                            "remain on the document's page.", code=document.code,
                            label=revision.label,
                            day=format_day(local_date(revision.blob_destroyed_at))),
                          status=410)


def copy_of(blob_sha256: str, file_kind: str, stamp: Stamp | None) -> bytes:
    """The stored file, stamped when it is a PDF and a stamp is given (the long part)."""
    data = get_store().read(blob_sha256)
    if stamp is not None and file_kind == "pdf":
        data = stamp_limited(data, stamp)
    return data


def controlled_copy(actor, document: Document, revision: Revision) -> tuple[bytes, str, str]:
    """A controlled copy of the revision for the actor, stamped for them (the long part, in
    no write transaction): (bytes, file kind, file name stem). The caller then begins
    writing and calls `record_copy`; the page and the API both hand out this copy."""
    rules.ensure_read(actor, document, revision)
    ensure_file_kept(document, revision)
    stamp = controlled_stamp(document, revision, actor.name)
    sha256, kind = renditions.source_of(revision)
    return copy_of(sha256, kind, stamp), kind, f"{document.code}_{revision.label}"


def public_copy(revision_id: int, blob_sha256: str, file_kind: str,
                stamp: Stamp) -> tuple[bytes, str | None]:
    """The public copy of a revision and, when it had to be made now, the SHA-256 of the new
    derived file to keep with `keep_public_copy`. A copy made before is read back, so
    repeated downloads do no stamping."""
    if file_kind != "pdf":
        return get_store().read(blob_sha256), None
    store = get_store()
    kept = db.session.scalar(select(RevisionCopy.blob_sha256).where(
        RevisionCopy.revision_id == revision_id, RevisionCopy.stamp_sha256 == stamp.key()))
    if kept is not None:
        try:
            return store.read(kept), None
        except (BlobCorrupted, FileNotFoundError):
            pass  # made again below, and the record pointed at the new file
    data = copy_of(blob_sha256, file_kind, stamp)
    return data, store.put(io.BytesIO(data), max_bytes=len(data)).sha256


def keep_public_copy(revision_id: int, stamp: Stamp, blob_sha256: str, size: int) -> None:
    """Remember a public copy just made; a record there already (its file unreadable, or
    made at the same moment by another request) is pointed at this one."""
    key = stamp.key()
    existing = db.session.scalar(select(RevisionCopy).where(
        RevisionCopy.revision_id == revision_id, RevisionCopy.stamp_sha256 == key))
    if existing is not None:
        existing.blob_sha256, existing.size = blob_sha256, size
        db.session.flush()
        return
    insert_ignoring_duplicates(db.session, RevisionCopy, [{
        "revision_id": revision_id, "stamp_sha256": key, "blob_sha256": blob_sha256,
        "size": size, "created_at": utcnow()}], unique=["revision_id", "stamp_sha256"])


def record_copy(user, revision_id: int, kind: str) -> None:
    """Keep a record of a copy handed out (user None: the public register)."""
    revision = db.session.get(Revision, revision_id)
    db.session.add(DownloadLog(revision_id=revision.id, user_id=getattr(user, "id", None),
                               kind=kind, downloaded_at=utcnow()))
    db.session.flush()
    record(user, f"revision.download.{kind}", "document", revision.document_id,
           after={"label": revision.label}, actor_label="public")
