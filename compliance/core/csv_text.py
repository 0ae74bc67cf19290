"""Reading an uploaded CSV file: UTF-8 (a BOM is fine), comma- or semicolon-separated, as
the office exports it; shared by the imports of measure values and of procedure handling."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from compliance.core.errors import DomainError


def csv_lines(data: bytes):
    """A csv.reader over the file's text, the delimiter guessed from its first line; a file
    that is not UTF-8 text is refused at the field `file`."""
    if b"\x00" in data:
        raise DomainError(_("This is not a CSV text file."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_("The file is not UTF-8 text: save the CSV as UTF-8."),
                          field="file") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.reader(io.StringIO(text), delimiter=delimiter)
