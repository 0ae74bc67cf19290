"""Annual reports: drafted from the template for a year, their paragraphs written by the
coordinator, signed by the person named (the head of the agency, password again as every
signature): numbered, dated, their figures frozen, their PDF in the state's format stored.
The PDF is rendered in the signing request, as the announcement's: it needs the number."""

from __future__ import annotations

import io
import json
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth import reauth
from compliance.auth.models import User
from compliance.core import counters, tenancy
from compliance.core.db import check_version, utcnow
from compliance.core.errors import DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.core.pdf.state_format import place_from
from compliance.core.storage import get_store
from compliance.org.models import Organisation
from compliance.reports import rules
from compliance.reports.annual import figures, template
from compliance.reports.annual.models import AnnualReport
from compliance.reports.annual.pdf import render_annual

RECIPIENTS = ("Sở Khoa học và Công nghệ", "Lưu: VT")
COUNTER = "annual-report-{year}"


def _stale() -> str:
    return _("Someone else changed this record while you were editing it. Reload the page "
             "and apply your change again.")


def get_report(user, report_id: int) -> AnnualReport:
    """A report of the user's organisation, or NotFound."""
    found = db.session.scalar(tenancy.in_organisation(user, select(AnnualReport).where(
        AnnualReport.id == report_id), AnnualReport))
    if found is None:
        raise NotFound(_("No such annual report."))
    return found


def draft(actor, year: int) -> AnnualReport:
    """The year's report drafted from the template (one report a year)."""
    rules.ensure(rules.may_edit_notes(actor), _("Only an ISO coordinator drafts the report."))
    if db.session.scalar(select(AnnualReport.id).where(AnnualReport.year == year)):
        raise DomainError(_("The report of %(year)d is drafted already.", year=year),
                          field="year")
    organisation = db.session.get(Organisation, tenancy.organisation_of(actor))
    sections = template.sections()
    row = AnnualReport(
        year=year, issuer=organisation.name_vi.upper(),
        superior=organisation.parent.name_vi.upper() if organisation.parent else "",
        place=place_from(organisation.name_vi),
        sections=json.dumps(sections, ensure_ascii=False),
        paragraphs=json.dumps([""] * len(sections)), recipients="\n".join(RECIPIENTS))
    db.session.add(row)
    db.session.flush()
    record(actor, "annual_report.create", "annual_report", row.id, after=row.snapshot())
    return row


def _lines(value: str) -> str:
    return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())


def edit(actor, row: AnnualReport, expected_version: int | None, *, paragraphs: list[str],
         signer_id: int | None, symbol: str, signer_title: str, recipients: str,
         superior: str) -> AnnualReport:
    """Change a draft: its paragraphs, who signs it and its header."""
    rules.ensure(rules.may_edit_notes(actor), _("Only an ISO coordinator writes the report."))
    if row.state != "draft":
        raise DomainError(_("An issued report is not changed."), status=409)
    check_version(row, expected_version, _stale())
    if len(paragraphs) != len(row.section_list()):
        raise DomainError(_stale(), status=409)
    if any(len(text or "") > 20000 for text in paragraphs):
        raise DomainError(_("At most %(limit)d characters.", limit=20000), field="paragraphs")
    if signer_id and db.session.scalar(tenancy.in_organisation(
            actor, select(User.id).where(User.id == signer_id, User.active), User)) is None:
        raise DomainError(_("Choose among the listed entries."), field="signer_id")
    before = row.snapshot()
    row.paragraphs = json.dumps([(t or "").strip() for t in paragraphs], ensure_ascii=False)
    row.signer_id = signer_id or None
    row.symbol, row.signer_title = symbol.strip()[:32], signer_title.strip()[:100]
    row.superior, row.recipients = superior.strip()[:200], _lines(recipients)
    db.session.flush()
    record(actor, "annual_report.edit", "annual_report", row.id, before=before,
           after=row.snapshot())
    return row


def figures_of(row: AnnualReport, today: date) -> list[list[str]]:
    """The figures of each section: as frozen when signed, else as they stand today."""
    if row.figures:
        return json.loads(row.figures)
    return figures.compute(row.section_list(), row.year, today)


def ensure_signer(actor, row: AnnualReport) -> None:
    """Refuse unless the report is a draft and the actor is the person named to sign it."""
    if row.signer_id is None or getattr(actor, "id", None) != row.signer_id:
        raise PermissionDenied(_("Only the person named to sign this report signs it."))
    if row.state != "draft":
        raise DomainError(_("This report is issued already."), status=409)


def sign(actor, row: AnnualReport, expected_version: int | None, *, credential: str | None,
         today: date) -> AnnualReport:
    """The named signer signs (password again): numbered, dated, figures frozen, PDF kept."""
    ensure_signer(actor, row)
    check_version(row, expected_version, _stale())
    proof = reauth.verify(actor, credential, attempt=reauth.Attempt(
        "annual_report.sign", "annual_report", row.id))
    before = row.snapshot()
    row.figures = json.dumps(figures.compute(row.section_list(), row.year, today),
                             ensure_ascii=False)
    row.number = counters.next_value(COUNTER.format(year=today.year), row.organisation_id)
    row.issued_on, row.signed_at, row.signature_method = today, utcnow(), proof.method
    row.state = "issued"
    pdf = render_annual(row, actor.name, json.loads(row.figures), proof.record)
    row.pdf_sha256 = get_store().put(io.BytesIO(pdf)).sha256
    db.session.flush()
    record(actor, "annual_report.sign", "annual_report", row.id, before=before,
           after={**row.snapshot(), "signer": actor.name, **proof.record})
    return row
