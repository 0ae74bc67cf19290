"""The text of a stored PDF or DOCX, line by line, for comparing revisions.

`lines_of` reads a file in the calling process (the limited child of core.pdf.pool);
`text_limited` asks the child, so a hostile file cannot hold a web process: the pool's time
and memory limits apply, and at most `MAX_CHARS` characters come back."""

from __future__ import annotations

import io
import zipfile

from compliance.core.pdf import pool
from compliance.core.pdf.limits import RenderFailed, _

KINDS = ("pdf", "docx")
# Characters of text kept per file: a long manual fits, a diff of it stays quick.
MAX_CHARS = 400_000


def pdf_lines(data: bytes, max_chars: int) -> list[str]:
    """The lines of a PDF's text, page by page, stopping after the page that passes
    `max_chars` (also what documents.text indexes for search)."""
    from pypdf import PdfReader

    lines, total = [], 0
    for page in PdfReader(io.BytesIO(data)).pages:
        for line in (page.extract_text() or "").splitlines():
            lines.append(line)
            total += len(line)
        if total > max_chars:
            break
    return lines


def _docx(data: bytes, max_chars: int) -> list[str]:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines, total = [], 0
    for paragraph in document.paragraphs:
        lines.append(paragraph.text)
        total += len(paragraph.text)
        if total > max_chars:
            return lines
    for table in document.tables:
        for row in table.rows:
            # One line per row: a changed cell shows as a changed row, as a reader sees it.
            lines.append(" | ".join(cell.text for cell in row.cells))
    return lines


def lines_of(kind: str, data: bytes, max_chars: int = MAX_CHARS) -> tuple[list[str], bool]:
    """The non-empty lines of a file's text (whitespace tidied), and whether it was cut."""
    if kind == "docx" and not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError("not a DOCX file")
    reader = pdf_lines if kind == "pdf" else _docx
    lines, total, cut = [], 0, False
    for line in reader(data, max_chars):
        line = " ".join(line.split())
        if not line:
            continue
        if total + len(line) > max_chars:
            cut = True
            break
        lines.append(line)
        total += len(line)
    return lines, cut


def text_limited(kind: str, data: bytes) -> tuple[list[str], bool]:
    """lines_of in a time- and memory-limited child; RenderFailed when the file cannot be
    read, RenderLimitExceeded past the limits."""
    if kind not in KINDS:
        raise ValueError(f"no text reader for {kind!r}")
    head, body = pool.run({"kind": "text", "file_kind": kind, "max_chars": MAX_CHARS}, data)
    if head.get("status") != 0:
        raise RenderFailed(_("The text of this file cannot be read."))
    text = body.decode("utf-8")
    return (text.split("\n") if text else []), bool(head.get("cut"))
