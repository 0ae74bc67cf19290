"""The audit report as a PDF: cover, scope, team, checklist, findings by grade, signatures."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from compliance.audit_trail.services import last_recorded
from compliance.audits.labels import RESULT_LABELS
from compliance.audits.services import grades
from compliance.core.pdf import render_limited


def render(audit, locale: str) -> bytes:
    """Render the report in the given language, in a time- and memory-limited child.

    Called only from a read (the report download), never inside a write transaction."""
    with force_locale(locale):
        by_grade = [(grade, [f for f in audit.findings if f.grade == grade.code])
                    for grade in grades.all_grades()]
        html = render_template("pdf/audit_report.html", audit=audit, locale=locale,
                               by_grade=by_grade,
                               signature=last_recorded("audit", audit.id, "audit.report_signed"),
                               results={k: str(v) for k, v in RESULT_LABELS.items()})
    return render_limited(html)
