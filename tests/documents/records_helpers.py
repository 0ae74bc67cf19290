"""Documents with revisions whose history is set by hand (superseded when, created when), for
the retention and hold tests: the files are tiny blank PDFs, really stored."""

from __future__ import annotations

import io
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import select

from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.documents.models import Approval, Document, Revision
from tests.documents.helpers import blank_pdf
from tests.factories import PASSWORD


def with_history(app, department_id: int, owner_id: int, *, code: str,
                 doc_type: str = "procedure", status: str = "effective",
                 revisions: list[dict]) -> SimpleNamespace:
    """A document whose revisions are given as dicts: `status`, `width` (the file: same width,
    same bytes), `created_at`, `superseded_at`; each signed "approved". Ids and digests back."""
    with app.app_context(), write_intent():
        document = Document(code=code, doc_type=doc_type, department_id=department_id,
                            title_vi=f"Tài liệu {code}", title_en=f"Document {code}",
                            owner_id=owner_id, status=status,
                            obsolete_at=utcnow() if status == "obsolete" else None)
        db.session.add(document)
        db.session.flush()
        made = []
        for number, spec in enumerate(revisions, start=1):
            data = blank_pdf(width=spec.get("width", 300))
            blob = get_store().put(io.BytesIO(data), max_bytes=len(data))
            created: datetime = spec.get("created_at") or utcnow()
            revision = Revision(
                document_id=document.id, number=number, label=f"{number:02d}",
                status=spec["status"], blob_sha256=blob.sha256, file_size=blob.size,
                file_kind="pdf", filename=f"{code}-{number}.pdf", change_summary="Ban hành",
                author_id=owner_id, created_at=created, effective_date=created.date(),
                superseded_at=spec.get("superseded_at"),
                status_before_obsolete="effective" if spec["status"] == "obsolete" else None)
            db.session.add(revision)
            db.session.flush()
            db.session.add(Approval(revision_id=revision.id, signer_id=owner_id,
                                    signer_name="Trần Minh Thư", meaning="approved",
                                    signed_at=created))
            made.append(revision)
        db.session.commit()
        return SimpleNamespace(id=document.id, code=code,
                               revisions=[r.id for r in made],
                               shas=[r.blob_sha256 for r in made])


def revision_of(app, revision_id: int) -> Revision:
    """The revision as stored now (detached, columns loaded)."""
    with app.app_context():
        revision = db.session.scalar(select(Revision).where(Revision.id == revision_id))
        db.session.expunge(revision)
        return revision


def decide(client, document_id: int, revision_id: int, version: int = 0, **form):
    """Post a disposition, signed, destroying unless told otherwise."""
    data = {"decision": "destroy", "reason": "Hết thời hạn lưu trữ", "password": PASSWORD,
            "version": version, **form}
    return client.post(f"/documents/{document_id}/revisions/{revision_id}/dispose", data=data)
