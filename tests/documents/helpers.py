"""Files and flows shared by the document tests."""

from __future__ import annotations

import functools
import io

from compliance.core.pdf import html_to_pdf


# Rendered once per process for each (text, pages): WeasyPrint is the costly part and its
# output is the same bytes every time.
@functools.cache
def pdf_bytes(text: str = "Quy trình kiểm soát tài liệu", pages: int = 1) -> bytes:
    """A real PDF with the given text on each page."""
    body = "".join(f'<p style="page-break-after: always">{text} — {n + 1}</p>'
                   for n in range(pages))
    return html_to_pdf(f"<html><body>{body}</body></html>")


def docx_bytes(text: str = "Hướng dẫn công việc") -> bytes:
    """A real DOCX with one paragraph."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload_data(content: bytes, filename: str = "quy-trinh.pdf", summary: str = "Ban hành lần đầu"):
    """Form data for the upload page."""
    return {"file": (io.BytesIO(content), filename), "change_summary": summary}


def create_document(client, department_id: int, owner_id: int, **extra):
    """Register a document through the form; returns the response."""
    data = {"doc_type": "procedure", "department_id": department_id,
            "title_vi": "Quy trình thẩm định dự toán", "title_en": "Budget appraisal",
            "owner_id": owner_id, "review_interval_months": 12}
    data.update(extra)
    return client.post("/documents/new", data=data)


# The revision state a route needs to be meaningful; every other route gets one in force.
STATE_FOR = {"documents.revisions.submit": "draft", "documents.revisions.withdraw": "draft",
             "documents.revisions.sign": "in_review",
             "documents.revisions.reject": "in_review",
             "documents.reading.reinstate": "obsolete",
             # A revision whose retention ended long ago; a document under a legal hold.
             "documents.retention.dispose": "due", "documents.holds.lift_hold": "held",
             "documents.holds.hold": "held"}
_PDF = None


def document_target(app, department_id: int, author_id: int, state: str = "effective",
                    readers=(), public: bool = True, content: bytes | None = None,
                    opened=(), holders=()):
    """A document with one revision in the given state (file really stored); plain ids back.
    The file is a small rendered PDF unless `content` gives another. `readers` are asked to
    read it, `opened` took a controlled copy of it, and `holders` are asked to destroy or
    return their copy of it (as if a newer revision had replaced it). State "due": obsolete
    for thirty years, so due for disposition; "held": in force, under a legal hold
    (`hold_id`)."""
    from datetime import timedelta
    from types import SimpleNamespace

    from compliance.core.db import utcnow, write_intent
    from compliance.core.extensions import db
    from compliance.core.storage import get_store
    from compliance.documents.models import (
        Acknowledgement,
        CopyRecall,
        Document,
        DownloadLog,
        Revision,
    )
    from compliance.documents.records.models import LegalHold

    global _PDF
    if content is None:  # rendered only when needed: WeasyPrint costs seconds to load
        _PDF = _PDF or pdf_bytes("Tài liệu kiểm thử")
    data = content or _PDF
    hold, state = state == "held", "effective" if state == "held" else state
    due, state = state == "due", "obsolete" if state == "due" else state
    long_ago = utcnow() - timedelta(days=366 * 30)
    # A writer from BEGIN: its count-then-insert must not race a worker still writing.
    with app.app_context(), write_intent():
        blob = get_store().put(io.BytesIO(data), max_bytes=len(data))
        count = db.session.scalar(db.select(db.func.count()).select_from(Document))
        document = Document(code=f"QT-T-{count + 1:04d}", doc_type="procedure",
                            department_id=department_id, title_vi="Quy trình kiểm thử",
                            title_en="Test procedure", owner_id=author_id, is_public=public,
                            status=state if state in ("effective", "obsolete") else "draft",
                            obsolete_reason="Bãi bỏ" if state == "obsolete" else None,
                            obsolete_at=(long_ago if due else utcnow())
                            if state == "obsolete" else None)
        db.session.add(document)
        db.session.flush()
        revision = Revision(document_id=document.id, number=1, label="01", status=state,
                            blob_sha256=blob.sha256, file_size=blob.size, file_kind="pdf",
                            filename="kiem-thu.pdf", change_summary="Lần đầu",
                            author_id=author_id, created_at=long_ago if due else utcnow(),
                            effective_date=utcnow().date() if state == "effective" else None,
                            # An obsolete one was in force when its document was withdrawn.
                            status_before_obsolete="effective" if state == "obsolete" else None)
        db.session.add(revision)
        db.session.flush()
        for user_id in readers:
            db.session.add(Acknowledgement(revision_id=revision.id, user_id=user_id,
                                           requested_at=utcnow()))
        for user_id in {*opened, *holders}:
            db.session.add(DownloadLog(revision_id=revision.id, user_id=user_id,
                                       kind="controlled", downloaded_at=utcnow()))
        recalls = [CopyRecall(revision_id=revision.id, replaced_by_id=revision.id,
                              user_id=user_id, requested_at=utcnow()) for user_id in holders]
        db.session.add_all(recalls)
        held = LegalHold(scope="document", document_id=document.id, reason="Thanh tra",
                         placed_by_id=author_id, placed_at=utcnow()) if hold else None
        if held is not None:
            db.session.add(held)
        db.session.commit()
        return SimpleNamespace(document_id=document.id, revision_id=revision.id,
                               code=document.code, doc_type=document.doc_type,
                               hold_id=held.id if held is not None else 0,
                               recall_id=recalls[0].id if recalls else 0)


def blank_pdf(sizes: int = 1, pages: int | None = None, *, width: int = 300,
              height: int = 420) -> bytes:
    """A tiny PDF of blank pages cycling through `sizes` page sizes, the k-th size being
    (width + 7k) × (height + 5k): no WeasyPrint, milliseconds, different for each width."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for n in range(pages or sizes):
        k = n % sizes
        writer.add_blank_page(width=width + 7 * k, height=height + 5 * k)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def external_target(app, endpoint: str, department_id: int, owner_id: int):
    """An external document in force (a decree) in the department, for the routes of the
    register of external documents; nothing for other routes."""
    from datetime import date
    from types import SimpleNamespace

    from compliance.core.db import write_intent
    from compliance.core.extensions import db
    from compliance.documents.models import Document

    if not endpoint.startswith("documents.external."):
        return SimpleNamespace()
    with app.app_context(), write_intent():
        count = db.session.scalar(db.select(db.func.count()).select_from(Document))
        row = Document(code=f"TL-T-{count + 1:04d}", doc_type="external", status="effective",
                       department_id=department_id, title_vi="Nghị định về công tác văn thư",
                       title_en="Decree on clerical work", owner_id=owner_id,
                       legal_kind="decree", legal_number="30/2020/NĐ-CP",
                       external_source="Chính phủ", legal_issued_on=date(2020, 3, 5),
                       legal_status="in_force", external_check_date=date(2027, 3, 5))
        db.session.add(row)
        db.session.commit()
        return SimpleNamespace(external_id=row.id, external_version=row.version)
