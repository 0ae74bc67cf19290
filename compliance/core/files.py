"""Uploads: read with a limit, recognised by their content (never by their name), named
safely and stored. `accept_upload` is the one way in for every uploaded file."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from compliance.core import office
from compliance.core.errors import DomainError
from compliance.core.names import visible
from compliance.core.pdf import check_upload as check_pdf_upload
from compliance.core.storage import get_store

MAX_FILENAME = 120  # characters of a display name before its extension


@dataclass(frozen=True)
class FileKind:
    """A file type the product accepts."""

    name: str
    mimetype: str
    extension: str


PDF = FileKind("pdf", "application/pdf", "pdf")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx")
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", "odt")
ODS = FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", "ods")
PNG = FileKind("png", "image/png", "png")
JPEG = FileKind("jpeg", "image/jpeg", "jpg")
KINDS = {k.name: k for k in (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG)}


class UnacceptableFile(DomainError):
    """The upload is not a file type the product accepts, or is damaged."""

    status = 415


def detect(data: bytes) -> FileKind:
    """The kind of file the bytes are, or UnacceptableFile with the reason."""
    if not data:
        raise UnacceptableFile(_("The file is empty."))
    if data.startswith(b"%PDF-"):
        return _check_pdf(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    raise UnacceptableFile(_("This type of file is not accepted. Upload a PDF, DOCX, XLSX, ODT, "
                             "ODS, PNG or JPEG file."))


def _check_pdf(data: bytes) -> FileKind:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnacceptableFile(_("Encrypted PDF files cannot be controlled. "
                                     "Upload the file without a password."))
        if len(reader.pages) < 1:
            raise UnacceptableFile(_("The PDF file has no pages."))
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnacceptableFile(_("The PDF file is damaged and cannot be read.")) from error
    return PDF


def _zip_kind(data: bytes) -> FileKind:
    """An office file, really opened (see core.office), or UnacceptableFile."""
    try:
        name = office.inspect(data)
    except office.Refused as refused:
        raise UnacceptableFile(refused.message) from refused
    if name is None:
        raise UnacceptableFile(_("This type of file is not accepted. Upload a PDF, DOCX, XLSX, "
                                 "ODT, ODS, PNG or JPEG file."))
    return KINDS[name]


@dataclass(frozen=True)
class Upload:
    """An accepted, stored upload: its digest, size, kind, display name and bytes, and the
    kinds of active content a PDF holds (core.pdf.sanitise.KINDS)."""

    sha256: str
    size: int
    kind: FileKind
    filename: str
    content: bytes
    active_content: tuple[str, ...] = ()


def safe_filename(filename: str, kind: FileKind) -> str:
    """A display name only (the stored path never uses it), with the kind's extension: no
    folder, no control or bidirectional characters (core.names), NFC, at most MAX_FILENAME
    characters before the extension."""
    base = visible(re.split(r"[\\/]", filename or "")[-1])
    base = re.sub(r'[<>:"|?*]', "", base)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem.strip(" .")[:MAX_FILENAME].rstrip(" .")
    return f"{stem or 'document'}.{kind.extension}"


def accept_upload(stream: BinaryIO, filename: str, *, field: str = "file") -> Upload:
    """Read an upload within the size limit, recognise it and store it once by SHA-256.
    A refusal names the form field it concerns."""
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(_("The file is larger than the limit of %(mb)d MB.",
                            mb=limit // (1024 * 1024)), status=413, field=field)
    try:
        kind = detect(data)
        active = check_pdf_upload(data) if kind is PDF else ()
    except DomainError as error:
        error.field = field
        raise
    blob = get_store().put(io.BytesIO(data), max_bytes=len(data))
    return Upload(blob.sha256, blob.size, kind, safe_filename(filename, kind), data, active)
