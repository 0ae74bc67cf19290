"""Uploads are judged by content: bad files get a clear 4xx and leave nothing behind."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from compliance.core.extensions import db
from compliance.documents.models import Revision
from tests.documents.helpers import docx_bytes, pdf_bytes
from tests.documents.test_rules import Setup


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BAD_FILES = {
    "html behind a pdf name": (b"<html><script>alert(1)</script></html>", "quy-trinh.pdf"),
    "svg with script": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                        "logo.png"),
    "exe behind a docx name": (b"MZ\x90\x00\x03" + b"\0" * 200, "huong-dan.docx"),
    "empty file": (b"", "trong.pdf"),
    "truncated pdf": (b"%PDF-1.7\n1 0 obj <<", "hong.pdf"),
    "zip bomb": (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"0" * 60_000_000}),
                 "bom.docx"),
    "plain zip": (_zip({"a.txt": b"hello"}), "tai-lieu.xlsx"),
    "path traversal name, html body": (b"<html></html>", "../../../etc/passwd"),
}


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) \
        if root.exists() else []


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_refused_and_nothing_is_written(app, make, login, case):
    content, filename = BAD_FILES[case]
    s = Setup(app, make, login)
    storage = Path(app.config["STORAGE_PATH"])
    stored_before = _files(storage)
    response = s.upload(content=content, filename=filename) if content else \
        s.author.post(f"/documents/{s.doc_id}/revisions/new", data={
            "file": (io.BytesIO(b""), filename), "change_summary": "x"},
            content_type="multipart/form-data")
    assert 400 <= response.status_code < 500, response.status_code
    assert _files(storage) == stored_before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Revision)) == 0


def test_oversized_upload_is_refused(app, make, login):
    app.config["MAX_UPLOAD_BYTES"] = 10_000
    s = Setup(app, make, login)
    response = s.upload(content=pdf_bytes("x" * 20, pages=40))
    assert response.status_code == 413
    assert "MB" in response.get_data(as_text=True)


def test_traversal_name_is_only_a_display_name(app, make, login):
    s = Setup(app, make, login)
    assert s.upload(content=docx_bytes(), filename="../../evil/..\\x.docx").status_code == 302
    with app.app_context():
        revision = db.session.scalars(select(Revision)).one()
        assert revision.filename == "x.docx"
        assert revision.file_kind == "docx"
        assert "Hướng dẫn công việc" in revision.text_content
    storage = Path(app.config["STORAGE_PATH"])
    assert all(len(Path(name).name) == 64 for name in _files(storage))
