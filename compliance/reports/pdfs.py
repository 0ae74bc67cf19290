"""The six-monthly report and the management-review input pack as PDFs (vi or en), each
rendered in a time- and memory-limited child process. Callers render before they write."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from compliance.capa.labels import STATE_LABELS
from compliance.core import clock, tenancy
from compliance.core.pdf import render_limited
from compliance.core.pdf.state_format import StateDocument, context, place_from
from compliance.org.naming import organisation_row
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
    organisation = organisation_row(tenancy.acting_organisation_id())
    name = organisation.name_vi if organisation else ""
    superior = organisation.parent.name_vi.upper() if organisation and organisation.parent \
        else ""
    return StateDocument(
        superior=superior, issuer=name.upper(), symbol="BC-UBND", place=place_from(name),
        day=clock.today(), kind="BÁO CÁO",
        summary=f"Tình hình áp dụng, duy trì hệ thống quản lý chất lượng "
                f"{report.period.title}",
        signer_title="THỦ TRƯỞNG CƠ QUAN", signer_name="",
        recipients=["Sở Khoa học và Công nghệ", "Lưu: VT"])


def input_pack(pack, locale: str) -> bytes:
    """The management-review input pack in the given language."""
    with force_locale(locale):
        html = render_template("pdf/reports/input_pack.html", pack=pack, locale=locale,
                               quality=quality.input_pack(pack),
                               level_names={k: str(v) for k, v in LEVEL_LABELS.items()},
                               action_states={k: str(v) for k, v in ACTION_LABELS.items()})
    return render_limited(html)
