"""Reading requests: who must read a revision in force, and their confirmation.

Sends `core.signals.reading_requested` (sender: the Revision now in force; keywords
`document`, `user_ids`: the readers just asked) once the requests are written.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth.models import Membership, User
from compliance.core import signals
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.documents import rules
from compliance.documents.models import Acknowledgement, Document, Revision


class NotOpened(DomainError):
    """The reader has not opened the revision they want to confirm reading."""

    status = 409


def readers_of(document: Document) -> list[int]:
    """Ids of the active people who must read the document's revisions."""
    department_ids = {document.department_id} | {d.id for d in document.reader_departments}
    return list(db.session.scalars(
        select(Membership.user_id).join(User, User.id == Membership.user_id)
        .where(Membership.department_id.in_(department_ids), User.is_person())
        .distinct()))


def request_acknowledgements(revision: Revision, document: Document) -> int:
    """Ask every reader to confirm they read the revision now in force."""
    now = utcnow()
    user_ids = readers_of(document)
    for user_id in user_ids:
        db.session.add(Acknowledgement(revision_id=revision.id, user_id=user_id,
                                       requested_at=now))
    db.session.flush()
    if user_ids:
        signals.reading_requested.send(revision, document=document, user_ids=user_ids)
    return len(user_ids)


def open_first_message() -> str:
    """What the reader is told at the button when they have not opened the revision yet."""
    return _("Open the revision first: download it and read it, then confirm that you have "
             "read it.")


def acknowledge(user, revision: Revision) -> Acknowledgement:
    """The reader confirms they have read the revision in force, which they must have opened
    first unless the organisation relaxed that (COMPLIANCE_READING_REQUIRES_OPENING)."""
    request = db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.revision_id == revision.id, Acknowledgement.user_id == user.id))
    if request is None:
        raise DomainError(_("You were not asked to acknowledge this revision."), status=404)
    if revision.status != "effective":
        raise DomainError(_("This revision is no longer in force."), status=409)
    if request.acknowledged_at is None:
        if rules.reading_requires_opening() and not rules.has_opened(user, revision):
            raise NotOpened(open_first_message())
        request.acknowledged_at = utcnow()
        db.session.flush()
        record(user, "revision.acknowledge", "document", revision.document_id,
               after={"label": revision.label})
    return request
