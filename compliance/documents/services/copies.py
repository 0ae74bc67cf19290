"""Copies handed out: the stamp printed on a controlled or public copy, the stamping itself,
and the log of every copy issued.

Stamping a large PDF takes seconds, so it is kept apart from recording: a view reads the
file and builds the stamp, stamps with no write transaction open, then begins writing only
to call `record_copy`."""

from __future__ import annotations

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.core.db import utcnow
from compliance.core.extensions import db
from compliance.core.locale import format_day, format_moment
from compliance.core.pdf import Stamp, stamp_pdf
from compliance.core.storage import get_store
from compliance.documents.labels import MEANING_LABELS, STATUS_LABELS
from compliance.documents.models import Document, DownloadLog, Revision


def controlled_stamp(document: Document, revision: Revision, issued_to: str) -> Stamp:
    """The header, footer and watermark printed on a controlled copy."""
    status = str(STATUS_LABELS.get(revision.status, revision.status))
    effective = format_day(revision.effective_date) if revision.effective_date else "—"
    header = _("%(code)s · revision %(label)s · %(status)s · effective %(date)s",
               code=document.code, label=revision.label, status=status, date=effective)
    footer = _("Issued to %(name)s at %(time)s · UNCONTROLLED WHEN PRINTED",
               name=issued_to, time=format_moment(utcnow()))
    signatures = [_("%(meaning)s by %(name)s on %(time)s", meaning=MEANING_LABELS[a.meaning],
                    name=a.signer_name, time=format_moment(a.signed_at))
                  for a in revision.approvals if a.meaning in ("reviewed", "approved")]
    if signatures:
        header = f"{header} · {'; '.join(signatures)}"
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


def copy_of(blob_sha256: str, file_kind: str, stamp: Stamp | None) -> bytes:
    """The stored file, stamped when it is a PDF and a stamp is given (the long part)."""
    data = get_store().read(blob_sha256)
    if stamp is not None and file_kind == "pdf":
        data = stamp_pdf(data, stamp)
    return data


def record_copy(user, revision_id: int, kind: str) -> None:
    """Keep a record of a copy handed out (user None: the public register)."""
    revision = db.session.get(Revision, revision_id)
    db.session.add(DownloadLog(revision_id=revision.id, user_id=getattr(user, "id", None),
                               kind=kind, downloaded_at=utcnow()))
    db.session.flush()
    record(user, f"revision.download.{kind}", "document", revision.document_id,
           after={"label": revision.label}, actor_label="public")
