"""Reads about copies in readers' hands: who opened which revision and when, and the copies
of superseded revisions recalled from their holders (data only; the views build URLs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from compliance.core.extensions import db
from compliance.documents import rules
from compliance.documents.models import CopyRecall, Document, DownloadLog, Revision


def opened(revision_ids, user_ids=None) -> dict[tuple[int, int], datetime]:
    """(revision id, user id) → when the person last opened (downloaded) the revision."""
    revision_ids = list(revision_ids)
    if not revision_ids:
        return {}
    query = (select(DownloadLog.revision_id, DownloadLog.user_id,
                    func.max(DownloadLog.downloaded_at))
             .where(DownloadLog.revision_id.in_(revision_ids),
                    DownloadLog.kind.in_(rules.OPENING_KINDS), DownloadLog.user_id.is_not(None))
             .group_by(DownloadLog.revision_id, DownloadLog.user_id))
    if user_ids is not None:
        query = query.where(DownloadLog.user_id.in_(list(user_ids) or [-1]))
    return {(rev, user): at for rev, user, at in db.session.execute(query).all()}


def recalls_of(document: Document) -> dict[tuple[int, int], CopyRecall]:
    """(revision id, holder id) → the request to destroy or return their copy, for every
    superseded revision of the document."""
    rows = db.session.scalars(
        select(CopyRecall).join(Revision, Revision.id == CopyRecall.revision_id)
        .where(Revision.document_id == document.id))
    return {(r.revision_id, r.user_id): r for r in rows}


def unanswered(recalls: dict) -> dict[str, list[str]]:
    """Revision label → names of the holders who have not answered yet."""
    waiting: dict[str, list[str]] = {}
    for recall in sorted(recalls.values(), key=lambda r: (r.revision.number, r.user.name)):
        if recall.answered_at is None:
            waiting.setdefault(recall.revision.label, []).append(recall.user.name)
    return waiting


def recalls_pending_for(user) -> list[CopyRecall]:
    """The person's copies of superseded revisions still to destroy or return, oldest first."""
    return list(db.session.scalars(
        rules.visible_recalls(user, select(CopyRecall))
        .where(CopyRecall.answered_at.is_(None))
        .order_by(CopyRecall.requested_at, CopyRecall.id)))


def recalls_for(user, limit: int = 100) -> list[CopyRecall]:
    """The person's recalls: open ones first, then the latest answered."""
    return list(db.session.scalars(
        rules.visible_recalls(user, select(CopyRecall))
        .order_by(CopyRecall.answered_at.is_not(None), CopyRecall.requested_at.desc(),
                  CopyRecall.id.desc()).limit(limit)))
