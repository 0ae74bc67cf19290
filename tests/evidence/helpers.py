"""Evidence-pack test data: documents in force, a pack built by the real worker process, a
ready pack stored without building it."""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import time
from datetime import date, timedelta
from types import SimpleNamespace

from pypdf import PdfReader

from compliance.core import clock
from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.documents.models import Approval, Document, Revision
from compliance.evidence.models import EvidencePack, ShareLink, Verification
from compliance.org.models import Clause
from tests.documents.helpers import docx_bytes, pdf_bytes

PERIOD = {"period_start": "2026-01-01", "period_end": "2026-12-31"}


def doc_in_force(app, department_id: int, author_id: int, *, code: str, title: str,
                 content: bytes | None = None, kind: str = "pdf",
                 effective: date = date(2026, 2, 1), clause_ids=()) -> SimpleNamespace:
    """A document with one revision in force since `effective`, signed, file really stored."""
    content = content if content is not None else (
        pdf_bytes(title, pages=2) if kind == "pdf" else docx_bytes(title))
    with app.app_context(), write_intent():
        blob = get_store().put(io.BytesIO(content), max_bytes=len(content))
        document = Document(code=code, doc_type="procedure", department_id=department_id,
                            title_vi=title, title_en=title, owner_id=author_id,
                            status="effective", next_review_date=effective + timedelta(days=365))
        document.clauses = [db.session.get(Clause, i) for i in clause_ids]
        db.session.add(document)
        db.session.flush()
        revision = Revision(document_id=document.id, number=1, label="01", status="effective",
                            blob_sha256=blob.sha256, file_size=blob.size, file_kind=kind,
                            filename=f"{code}.{kind}", change_summary="Ban hành",
                            author_id=author_id, created_at=utcnow(), effective_date=effective)
        db.session.add(revision)
        db.session.flush()
        db.session.add(Approval(revision_id=revision.id, signer_id=author_id,
                                signer_name="Trần Minh Thư", meaning="approved",
                                signed_at=utcnow()))
        db.session.commit()
        return SimpleNamespace(document_id=document.id, revision_id=revision.id, code=code,
                               sha256=blob.sha256)


def request_build(client, **form) -> int:
    """Post the build form; returns the new pack's id."""
    data = {**PERIOD, **form}
    response = client.post("/evidence/", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(re.search(r"/evidence/(\d+)$", response.headers["Location"]).group(1))


def wait_for(client, pack_id: int, timeout: float = 180) -> dict:
    """Poll the status endpoint, as the progress bar does, until the build ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/evidence/{pack_id}/status").get_json()
        if state["status"] in ("ready", "failed"):
            return state
        time.sleep(0.3)
    raise AssertionError(f"pack {pack_id} still {state} after {timeout} s")


def download(client, pack_id: int) -> bytes:
    """The ready pack's bytes."""
    response = client.get(f"/evidence/{pack_id}/download")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    return response.data


def text_of(data: bytes) -> str:
    """All the text of a PDF."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def outline_titles(reader: PdfReader) -> list:
    """The outline as nested lists of (title, page number)."""
    def walk(items):
        out = []
        for item in items:
            if isinstance(item, list):
                out.append(walk(item))
            else:
                out.append((item.title, reader.get_destination_page_number(item) + 1))
        return out

    return walk(reader.outline)


def ready_pack(app, creator_id: int, *, scope_kind: str, scope_id: int, scope_label: str,
               data: bytes, department_id: int | None = None,
               period_end: date = date(2026, 12, 31)) -> int:
    """A ready pack of a scope from 1 January 2026, `data` stored as its file, for the pages
    that show one without building it; its id."""
    with app.app_context(), write_intent():
        blob = get_store().put(io.BytesIO(data), max_bytes=len(data))
        now = utcnow()
        pack = EvidencePack(scope_kind=scope_kind, scope_id=scope_id,
                            department_id=department_id, scope_label=scope_label, locale="vi",
                            period_start=date(2026, 1, 1), period_end=period_end,
                            status="ready", progress=100, step="ready", job_key="x" * 32,
                            created_by_id=creator_id, created_at=now, finished_at=now,
                            blob_sha256=blob.sha256, size=blob.size, pages=1)
        db.session.add(pack)
        db.session.commit()
        return pack.id


def pack_target(app, department_id: int, creator_id: int) -> SimpleNamespace:
    """A ready pack of a department (file stored), a live share link and a verification."""
    pack_id = ready_pack(app, creator_id, scope_kind="department", scope_id=department_id,
                         department_id=department_id, scope_label="Phòng",
                         data=pdf_bytes("Bộ hồ sơ bằng chứng"))
    token = secrets.token_urlsafe(32)
    with app.app_context(), write_intent():
        pack = db.session.get(EvidencePack, pack_id)
        now = utcnow()
        link = ShareLink(pack_id=pack.id, token_hash=hashlib.sha256(token.encode()).hexdigest(),
                         expires_on=clock.today() + timedelta(days=30), created_by_id=creator_id,
                         created_at=now)
        check = Verification(pack_id=pack.id, filename="p.pdf", sha256=pack.blob_sha256,
                             size=pack.size, ok=True, problems_json="[]",
                             checked_by_id=creator_id, checked_at=now)
        db.session.add_all([link, check])
        db.session.commit()
        return SimpleNamespace(pack_id=pack.id, link_id=link.id, token=token,
                               verification_id=check.id)
