"""Verifications of an uploaded pack: the upload read within its limit, the outcome kept on
record."""

from __future__ import annotations

import hashlib
import json
from typing import BinaryIO

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.core.db import utcnow
from compliance.core.errors import DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.core.files import PDF, safe_filename
from compliance.evidence import rules
from compliance.evidence.models import EvidencePack, Verification


def read_pack_upload(stream: BinaryIO, limit_mb: int) -> bytes:
    """The uploaded pack's bytes, read no further than the limit; a PDF or refused."""
    limit = int(limit_mb) * 1024 * 1024
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(_("The file is larger than the limit of %(mb)d MB.", mb=limit_mb),
                          status=413, field="file")
    if not data.startswith(b"%PDF-"):
        raise DomainError(_("This is not a PDF file: an evidence pack is a PDF."), field="file")
    return data


def record_verification(actor, *, filename: str, data: bytes, report) -> Verification:
    """Keep the outcome of a verification, so the check itself is on record."""
    rules.ensure(rules.may_verify(actor), _("You may not use evidence packs."))
    pack = db.session.get(EvidencePack, report.pack_id) if report.pack_id else None
    if pack is not None and not rules.may_see(actor, pack):
        pack = None
    check = Verification(pack_id=pack.id if pack else None, filename=safe_filename(filename, PDF),
                         sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                         ok=report.ok, problems_json=json.dumps(report.problems,
                                                                ensure_ascii=False),
                         checked_by_id=actor.id, checked_at=utcnow())
    db.session.add(check)
    db.session.flush()
    record(actor, "evidence.verify", "evidence_verification", check.id,
           after={"pack_id": check.pack_id, "sha256": check.sha256, "ok": check.ok})
    return check


def get_verification(user, verification_id: int) -> Verification:
    """A verification the user may read; those who see only their own learn nothing about
    the others, nor about a missing one."""
    rules.ensure_use(user)
    check = db.session.get(Verification, verification_id)
    if check is None or not rules.may_read_verification(user, check):
        if not rules.sees_every_scope(user):
            raise PermissionDenied(_("You may not open this verification."))
        raise NotFound(_("There is no such verification."))
    return check
