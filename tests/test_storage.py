"""The content-addressed blob store and upload type detection."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from compliance.core import files as filetypes
from compliance.core.errors import DomainError
from compliance.core.storage import BlobCorrupted, BlobTooLarge, LocalBlobStore
from tests import office_files


def _listing(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_put_stores_once_by_hash_and_reads_back(tmp_path):
    store = LocalBlobStore(tmp_path)
    data = "Quy trình kiểm soát tài liệu".encode() * 1000
    first = store.put(io.BytesIO(data), max_bytes=10**7)
    second = store.put(io.BytesIO(data), max_bytes=10**7)
    assert first == second
    assert first.sha256 == hashlib.sha256(data).hexdigest()
    assert store.read(first.sha256) == data
    assert _listing(tmp_path) == [f"{first.sha256[:2]}/{first.sha256[2:4]}/{first.sha256}"]


def test_oversized_upload_leaves_nothing_behind(tmp_path):
    store = LocalBlobStore(tmp_path)
    with pytest.raises(BlobTooLarge):
        store.put(io.BytesIO(b"x" * 2048), max_bytes=1024)
    assert _listing(tmp_path) == []


def test_read_detects_a_changed_byte(tmp_path):
    store = LocalBlobStore(tmp_path)
    blob = store.put(io.BytesIO(b"original content"), max_bytes=1024)
    path = store._path(blob.sha256)
    path.chmod(0o640)
    path.write_bytes(b"original c0ntent")
    with pytest.raises(BlobCorrupted):
        store.read(blob.sha256)


@pytest.mark.parametrize("name", ["../etc/passwd", "abc", "A" * 64, "/" + "a" * 63])
def test_only_hashes_become_paths(tmp_path, name):
    with pytest.raises(ValueError):
        LocalBlobStore(tmp_path).read(name)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _minimal_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(("data", "kind"), [
    (_minimal_pdf(), "pdf"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "png"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 32, "jpeg"),
    (office_files.docx(), "docx"),
    (office_files.xlsx(), "xlsx"),
    (office_files.odf(), "odt"),
    (office_files.odf(office_files.ODS_MIME), "ods"),
])
def test_accepted_kinds_are_recognised_by_content(data, kind):
    assert filetypes.detect(data).name == kind


@pytest.mark.parametrize("data", [
    b"",
    b"<html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b"%PDF-1.7\n this is not really a pdf",
    b"PK\x03\x04 truncated zip",
    _zip({"hello.txt": b"plain zip"}),
    _zip({"[Content_Types].xml": b"<x/>", "bomb.xml": b"0" * 50_000_000}),
    # The right part names are not enough (tests/documents/test_office_uploads.py).
    _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
    b"MZ\x90\x00 executable",
])
def test_unacceptable_files_are_refused_with_a_reason(app, data):
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        filetypes.detect(data)
    assert refused.value.status in (413, 415)
    assert refused.value.message


def test_open_streams_the_blob_and_checks_its_hash_at_the_end(tmp_path):
    store = LocalBlobStore(tmp_path)
    data = b"0123456789" * 100_000
    blob = store.put(io.BytesIO(data), max_bytes=10**7)
    with store.open(blob.sha256) as stream:
        chunks = iter(lambda: stream.read(65536), b"")
        assert b"".join(chunks) == data
    path = store._path(blob.sha256)
    path.chmod(0o640)
    path.write_bytes(b"9" + data[1:])
    with store.open(blob.sha256) as stream, pytest.raises(BlobCorrupted):
        while stream.read(65536):
            pass
