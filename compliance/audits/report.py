"""The audit report as a PDF: cover, scope, team, checklist, findings by grade, signatures.
In Vietnamese it is a report in the state's format (core.pdf.state_format), without a number
(an internal record), signed by the lead auditor; in English it keeps its own layout."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from compliance.audit_trail.services import last_recorded
from compliance.audits.labels import RESULT_LABELS
from compliance.audits.services import grades
from compliance.core import clock
from compliance.core.pdf import render_limited
from compliance.core.pdf.state_format import StateDocument, context
from compliance.org.naming import issuing_body

KIND = "BÁO CÁO"
SIGNER_TITLE = "TRƯỞNG ĐOÀN ĐÁNH GIÁ"


def state_document(audit) -> StateDocument:
    """The header and signer block of the Vietnamese report: the organisation issues it,
    dated the day it was signed, addressed to its head and the audited department."""
    superior, issuer, place = issuing_body(audit.organisation_id)
    signed_on = clock.local_date(audit.reported_at) if audit.reported_at else clock.today()
    return StateDocument(
        superior=superior, issuer=issuer, symbol="", place=place, day=signed_on, kind=KIND,
        summary=f"Kết quả đánh giá nội bộ hệ thống quản lý chất lượng theo TCVN ISO "
                f"9001:2015 tại {audit.department.name('vi')}",
        signer_title=SIGNER_TITLE, signer_name=audit.report_signer_name or "",
        recipients=["Lãnh đạo cơ quan", audit.department.name("vi"), "Lưu: VT"])


def render(audit, locale: str) -> bytes:
    """Render the report in the given language, in a time- and memory-limited child.

    Called only from a read (the report download), never inside a write transaction."""
    with force_locale(locale):
        by_grade = [(grade, [f for f in audit.findings if f.grade == grade.code])
                    for grade in grades.all_grades()]
        template, state = ("pdf/audit_report_vi.html", context(state_document(audit))) \
            if locale == "vi" else ("pdf/audit_report.html", {})
        html = render_template(template, audit=audit, locale=locale, by_grade=by_grade, **state,
                               signature=last_recorded("audit", audit.id, "audit.report_signed"),
                               results={k: str(v) for k, v in RESULT_LABELS.items()})
    return render_limited(html)
