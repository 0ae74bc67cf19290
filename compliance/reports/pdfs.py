"""The six-monthly report and the management-review input pack as PDFs (vi or en), each
rendered in a time- and memory-limited child process. Callers render before they write."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from compliance.capa.labels import STATE_LABELS
from compliance.core import clock
from compliance.core.pdf import render_limited
from compliance.core.pdf.state_format import StateDocument, context
from compliance.org.naming import issuing_body
from compliance.quality.risks.labels import LEVEL_LABELS
from compliance.reports import quality
from compliance.reports.labels import ACTION_LABELS


def six_monthly(report, locale: str, below=()) -> bytes:
    """The six-monthly report in the given language (with the sections of the organisations
    below, reports.rollup, for an overseer)."""
    with force_locale(locale):
        # In Vietnamese the report is a document of the state's format (Nghị định 30/2020).
        template, state = ("pdf/reports/six_monthly_vi.html", context(_state_document(report))) \
            if locale == "vi" else ("pdf/reports/six_monthly.html", {})
        html = render_template(template, report=report, locale=locale, below=below, **state,
                               quality=quality.six_monthly(report),
                               ca_states={k: str(v) for k, v in STATE_LABELS.items()})
    return render_limited(html)


def _state_document(report) -> StateDocument:
    """The header of the report: the organisation above its superior, the half-year, a
    number and a signature left for the office to fill in and sign by hand."""
    superior, issuer, place = issuing_body()
    return StateDocument(
        superior=superior, issuer=issuer, symbol="BC-UBND", place=place,
        day=clock.today(), kind="BÁO CÁO",
        summary=f"Tình hình áp dụng, duy trì hệ thống quản lý chất lượng "
                f"{report.period.title}",
        signer_title="THỦ TRƯỞNG CƠ QUAN", signer_name="",
        recipients=["Sở Khoa học và Công nghệ", "Lưu: VT"])


def _input_pack_document(pack, preparer: str) -> StateDocument:
    """The header of the input pack: the organisation issues it for its review, without a
    number (an internal record), signed by whoever prepared it."""
    superior, issuer, place = issuing_body()
    period = pack.period
    return StateDocument(
        superior=superior, issuer=issuer, symbol="", place=place, day=clock.today(),
        kind="BÁO CÁO",
        summary=f"Thông tin đầu vào cho xem xét của lãnh đạo (điều 9.3.2 TCVN ISO 9001:2015) "
                f"từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}",
        signer_title="NGƯỜI LẬP", signer_name=preparer,
        recipients=["Lãnh đạo cơ quan", "Ban chỉ đạo ISO", "Lưu: VT"])


def input_pack(pack, locale: str, preparer: str = "") -> bytes:
    """The management-review input pack in the given language (in Vietnamese, in the state's
    format, signed by its preparer)."""
    with force_locale(locale):
        template, state = \
            ("pdf/reports/input_pack_vi.html", context(_input_pack_document(pack, preparer))) \
            if locale == "vi" else ("pdf/reports/input_pack.html", {})
        html = render_template(template, pack=pack, locale=locale, **state,
                               quality=quality.input_pack(pack),
                               level_names={k: str(v) for k, v in LEVEL_LABELS.items()},
                               action_states={k: str(v) for k, v in ACTION_LABELS.items()})
    return render_limited(html)
