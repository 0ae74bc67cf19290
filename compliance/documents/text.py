"""Plain text out of uploaded files, for full-text search."""

from __future__ import annotations

import io
import logging
import zipfile
from xml.etree import ElementTree

log = logging.getLogger(__name__)
MAX_TEXT = 1_000_000  # characters kept per revision; enough for search, bounded for memory


def extract(kind: str, data: bytes) -> str:
    """Best-effort text of a file; an unreadable part yields less text, never an error."""
    readers = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "odt": _odf, "ods": _odf}
    reader = readers.get(kind)
    if reader is None:
        return ""
    try:
        return " ".join(reader(data).split())[:MAX_TEXT]
    except Exception:  # noqa: BLE001 - text is an aid to search, not a reason to refuse a file
        log.warning("text extraction failed for a %s file", kind, exc_info=True)
        return ""


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, total = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
        if total > MAX_TEXT:
            break
    return "\n".join(parts)


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
    workbook.close()
    return "\n".join(parts)


def _odf(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - stdlib expat refuses external entities
    return " ".join(root.itertext())
