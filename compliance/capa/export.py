"""The corrective-action register as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response
from flask_babel import gettext as _

from compliance.capa.labels import SOURCE_LABELS, STATE_LABELS
from compliance.capa.queries import is_overdue
from compliance.core.db import utcnow


def _cell(value):
    # A leading =, +, - or @ would make a spreadsheet evaluate the cell as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _header() -> list[str]:
    return [_("Reference"), _("Source"), _("Department"), _("Grade"), _("State"),
            _("Problem statement"), _("Raised on"), _("Days open"), _("Actions done"),
            _("Next due"), _("Overdue"), _("Target date"), _("Closed on"), _("Closed by")]


def _row(ca, today: date, locale: str) -> list:
    open_dates = [a.due_on for a in ca.actions if a.status == "open"] + \
        [c.due_on for c in ca.checks if c.status == "pending"]
    done = sum(1 for a in ca.actions if a.status == "done")
    planned = sum(1 for a in ca.actions if a.status != "cancelled")
    return [ca.reference, str(SOURCE_LABELS[ca.source]), ca.department.code,
            ca.grade_rule.name(locale), str(STATE_LABELS[ca.status]), ca.problem,
            ca.raised_on.isoformat(), ca.age(today), f"{done}/{planned}",
            min(open_dates).isoformat() if open_dates else "",
            _("Yes") if is_overdue(ca, today) else _("No"),
            ca.target_on.isoformat() if ca.target_on else "",
            ca.closed_on.isoformat() if ca.closed_on else "",
            ca.closed_by.name if ca.closed_by else ""]


def response(fmt: str, rows, today: date, locale: str) -> Response:
    """A download of the given corrective actions in the chosen format."""
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    table = [_header()] + [[_cell(v) for v in _row(ca, today, locale)] for ca in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(table)
        body = buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read Vietnamese
        mimetype = "text/csv; charset=utf-8"
    else:
        from openpyxl import Workbook  # heavy and only for this format: imported when used

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Corrective actions"))
        for line in table:
            sheet.append(line)
        out = io.BytesIO()
        workbook.save(out)
        body = out.getvalue()
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="corrective-actions-{stamp}.{fmt}"'})
