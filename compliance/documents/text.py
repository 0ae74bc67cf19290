"""Plain text out of uploaded files, for full-text search."""

from __future__ import annotations

import io
import logging
import zipfile

from defusedxml import ElementTree

from compliance.core.pdf.text import pdf_lines

log = logging.getLogger(__name__)
MAX_TEXT = 1_000_000  # characters kept per revision; enough for search, bounded for memory


def extract(kind: str, data: bytes) -> str:
    """Best-effort text of a file; an unreadable file yields no text, never an error (the
    upload page then tells the uploader that the document is not findable by its content)."""
    readers = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "odt": _odf, "ods": _odf}
    reader = readers.get(kind)
    if reader is None:
        return ""
    try:
        return " ".join(reader(data).split())[:MAX_TEXT]
    except Exception as error:  # noqa: BLE001 - text is an aid to search, not a reason to refuse
        # One line, not a traceback: the file was accepted and this is its only consequence.
        log.warning("no text could be read from an uploaded %s file: %s: %s", kind,
                    type(error).__name__, error)
        return ""


def _pdf(data: bytes) -> str:
    return "\n".join(pdf_lines(data, MAX_TEXT))


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
        # defusedxml: no entity declarations (XML bombs), nothing fetched from outside.
        root = ElementTree.fromstring(archive.read("content.xml"))
    return " ".join(root.itertext())
