"""The decision announcing conformity, as a PDF in the state's format (core.pdf.state_format):
Vietnamese only, as the decree writes it."""

from __future__ import annotations

import json

from flask import render_template
from flask_babel import force_locale

from compliance.auth import reauth
from compliance.core import clock
from compliance.core.pdf import render_limited
from compliance.core.pdf.state_format import StateDocument, context

KIND = "QUYẾT ĐỊNH"
SUMMARY = ("Về việc công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia "
           "TCVN ISO 9001:2015")


def state_document(row, signer_name: str, proof: dict | None = None) -> StateDocument:
    """The header, footer and signature of the decision (with how the signer was proved
    again, `proof` being a signature's record, when it is signed)."""
    return StateDocument(
        superior=row.superior, issuer=row.issuer, symbol=row.symbol, number=row.number,
        place=row.place, day=row.issued_on or clock.today(), kind=KIND, summary=SUMMARY,
        authority=f"TM. {row.issuer.split(' HUYỆN ')[0]}" if row.issuer else "",
        signer_title=row.signer_title, signer_name=signer_name,
        recipients=[line for line in row.recipients.splitlines() if line.strip()],
        signature_proof=reauth.printed(proof))


def render_announcement(row, signer_name: str, annex: list[dict] | None = None,
                        proof: dict | None = None) -> bytes:
    """The decision, its bases, articles and annex (as frozen at signing unless given), as
    a PDF; signed, with the signature's proof (reauth.Proof.record)."""
    with force_locale("vi"):
        html = render_template("pdf/scope/announcement.html", row=row,
                               bases=row.legal_bases.splitlines(),
                               articles=row.articles.splitlines(),
                               annex=json.loads(row.annex or "[]") if annex is None else annex,
                               **context(state_document(row, signer_name, proof)))
    return render_limited(html)
