"""Files and flows shared by the document tests."""

from __future__ import annotations

import io

from compliance.pdf import html_to_pdf


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
