"""Superseded copies: when a revision is replaced, everyone who took a controlled copy of it
is asked to destroy or return that copy, and records what they did.

Signals sent (compliance.core.signals):
- `copies_recalled`: sender the superseded Revision; keywords `document`, `replaced_by` (the
  Revision now in force) and `recalls` (the new CopyRecall rows). The notifications domain
  tells each holder.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.core import signals
from compliance.core.db import utcnow
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.documents.labels import RECALL_ANSWERS
from compliance.documents.models import CopyRecall, Document, DownloadLog, Revision


def holders_of(revision: Revision) -> list[int]:
    """Active people who took a controlled copy of the revision before it was superseded (a
    copy taken afterwards bears the SUPERSEDED watermark already)."""
    query = (select(DownloadLog.user_id).join(User, User.id == DownloadLog.user_id)
             .where(DownloadLog.revision_id == revision.id, DownloadLog.kind == "controlled",
                    User.active.is_(True)).distinct())
    if revision.superseded_at is not None:
        query = query.where(DownloadLog.downloaded_at <= revision.superseded_at)
    return sorted(db.session.scalars(query))


def recall_copies(actor, superseded: Revision, replaced_by: Revision, document: Document) -> int:
    """Ask each holder of a controlled copy of the superseded revision to destroy or return
    it (once per holder and revision); returns how many were asked."""
    asked = set(db.session.scalars(select(CopyRecall.user_id).where(
        CopyRecall.revision_id == superseded.id)))
    now = utcnow()
    recalls = [CopyRecall(revision_id=superseded.id, replaced_by_id=replaced_by.id,
                          user_id=user_id, requested_at=now)
               for user_id in holders_of(superseded) if user_id not in asked]
    if not recalls:
        return 0
    db.session.add_all(recalls)
    db.session.flush()
    record(actor, "revision.copies_recalled", "document", document.id,
           after={"label": superseded.label, "replaced_by": replaced_by.label,
                  "holders": sorted(r.user_id for r in recalls)})
    signals.copies_recalled.send(superseded, document=document, replaced_by=replaced_by,
                                 recalls=recalls)
    return len(recalls)


def get_recall(actor, recall_id: int, for_update: bool = False) -> CopyRecall:
    """One of the actor's own recalls; anybody else's is not found (it is theirs alone)."""
    # FOR UPDATE OF copy_recall: PostgreSQL refuses to lock the outer-joined revision and user.
    lock = {"of": CopyRecall} if for_update else None
    recall = db.session.get(CopyRecall, recall_id, with_for_update=lock)
    if recall is None or recall.user_id != getattr(actor, "id", None):
        raise NotFound(_("No such request."))
    return recall


def answer_recall(actor, recall: CopyRecall, *, answer: str, note: str = "") -> CopyRecall:
    """The holder says what they did with their copy: destroyed or returned, with a note."""
    if recall.user_id != getattr(actor, "id", None):
        raise NotFound(_("No such request."))
    if recall.answered_at is not None:
        raise DomainError(_("Your answer about this copy is recorded already."), status=409)
    if answer not in RECALL_ANSWERS:
        raise DomainError(_("Say whether you destroyed or returned the copy."), field="answer")
    recall.answer, recall.note, recall.answered_at = answer, (note or "").strip(), utcnow()
    db.session.flush()
    record(actor, f"revision.copy_{answer}", "document", recall.revision.document_id,
           after={"label": recall.revision.label, "note": recall.note})
    return recall
