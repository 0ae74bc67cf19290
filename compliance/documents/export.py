"""The register as CSV or XLSX."""

from __future__ import annotations

import csv
import io

from flask import Response
from flask_babel import gettext as _

from compliance.core.db import utcnow
from compliance.documents.labels import STATUS_LABELS, TYPE_LABELS


def _header() -> list[str]:
    return [_("Code"), _("Type"), _("Department"), _("Title (Vietnamese)"), _("Title (English)"),
            _("Status"), _("Owner"), _("ISO clauses"), _("Review interval (months)"),
            _("Next review"), _("Public")]


def _row(document) -> list:
    return [document.code, str(TYPE_LABELS[document.doc_type]), document.department.code,
            document.title_vi, document.title_en, str(STATUS_LABELS[document.status]),
            document.owner.name, " ".join(c.number for c in document.clauses),
            document.review_interval_months,
            document.next_review_date.isoformat() if document.next_review_date else "",
            _("Yes") if document.is_public else _("No")]


def _cell(value):
    # A leading =, +, - or @ would make a spreadsheet evaluate the cell as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def response(fmt: str, documents, locale: str) -> Response:
    """A download of the given documents in the chosen format."""
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(_header())
        for document in documents:
            writer.writerow([_cell(v) for v in _row(document)])
        body = buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read Vietnamese
        mimetype = "text/csv; charset=utf-8"
    else:
        body = _xlsx(documents)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="register-{stamp}.{fmt}"'})


def _xlsx(documents) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Document register"))
    sheet.append(_header())
    for document in documents:
        sheet.append([_cell(v) for v in _row(document)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
