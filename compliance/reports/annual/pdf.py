"""The annual report as a PDF in the state's format (core.pdf.state_format): Vietnamese only,
as the report goes to the provincial Department of Science and Technology."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from compliance.auth import reauth
from compliance.core import clock
from compliance.core.pdf import render_limited
from compliance.core.pdf.state_format import StateDocument, context

KIND = "BÁO CÁO"


def summary(year: int) -> str:
    """The summary line under the kind."""
    return (f"Tình hình xây dựng, áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng "
            f"theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 năm {year}")


def state_document(row, signer_name: str, proof: dict | None = None) -> StateDocument:
    """The header, footer and signature of the report (with how the signer was proved
    again, `proof` being a signature's record, when it is signed)."""
    return StateDocument(
        superior=row.superior, issuer=row.issuer, symbol=row.symbol, number=row.number,
        place=row.place, day=row.issued_on or clock.today(), kind=KIND,
        summary=summary(row.year),
        authority=f"TM. {row.issuer.split(' HUYỆN ')[0]}" if row.issuer else "",
        signer_title=row.signer_title, signer_name=signer_name,
        recipients=[line for line in row.recipients.splitlines() if line.strip()],
        signature_proof=reauth.printed(proof))


def sections_of(row, figures: list[list[str]]) -> list[dict]:
    """Each section's title, figure lines and written paragraphs, in order."""
    return [{"title": s["title"], "lines": lines,
             "paragraphs": [p for p in text.splitlines() if p.strip()]}
            for s, lines, text in zip(row.section_list(), figures, row.paragraph_list(),
                                      strict=True)]


def render_annual(row, signer_name: str, figures: list[list[str]],
                  proof: dict | None = None) -> bytes:
    """The report, its sections numbered as the province's forms number them, as a PDF;
    signed, with the signature's proof (reauth.Proof.record)."""
    with force_locale("vi"):
        html = render_template("pdf/reports/annual.html", sections=sections_of(row, figures),
                               **context(state_document(row, signer_name, proof)))
    return render_limited(html)
