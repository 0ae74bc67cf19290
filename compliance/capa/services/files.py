"""Evidence files of a corrective action, of one of its actions, or of a check."""

from __future__ import annotations

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.capa import rules
from compliance.capa.models import Action, CorrectiveAction, CorrectiveFile, EffectivenessCheck
from compliance.capa.services.common import require_state
from compliance.core.db import get_child, utcnow
from compliance.core.extensions import db
from compliance.core.files import accept_upload


def store_file(actor, ca: CorrectiveAction, stream, filename: str, *, action: Action | None = None,
               check: EffectivenessCheck | None = None) -> CorrectiveFile:
    """Accept an upload and attach it (no audit event: the caller records what it was for)."""
    upload = accept_upload(stream, filename)
    stored = CorrectiveFile(corrective_action_id=ca.id, action=action, check=check,
                            blob_sha256=upload.sha256, file_size=upload.size,
                            file_kind=upload.kind.name, filename=upload.filename,
                            added_by_id=actor.id, added_at=utcnow())
    db.session.add(stored)
    db.session.flush()
    return stored


def add_file(actor, ca: CorrectiveAction, stream, filename: str) -> CorrectiveFile:
    """An evidence file about the nonconformity itself."""
    rules.ensure_manage(actor, ca)
    require_state(ca, *rules.OPEN_STATES)
    stored = store_file(actor, ca, stream, filename)
    record(actor, "corrective.file", "corrective_action", ca.id,
           after={"sha256": stored.blob_sha256, "filename": stored.filename})
    return stored


def get_file(ca: CorrectiveAction, file_id: int) -> CorrectiveFile:
    """An evidence file of this corrective action, or NotFound."""
    return get_child(db.session, CorrectiveFile, file_id, _("No such evidence file."),
                     corrective_action_id=ca.id)
