"""The inspection pack (issue 17, item 6): for the Sở KH&CN inspection, the records of a period
in date order, one section per kind of record in the order inspectors read them, a chronology
of them all, and a manifest listing every record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audits.labels import STATE_LABELS as AUDIT_STATES
from compliance.audits.models import Audit, Finding
from compliance.capa.labels import STATE_LABELS as CA_STATES
from compliance.capa.models import CorrectiveAction
from compliance.core import tenancy
from compliance.core.clock import local_date
from compliance.core.extensions import db
from compliance.core.locale import format_day
from compliance.core.pdf import html_to_pdf
from compliance.evidence import scope as scopes
from compliance.evidence.builder import assemble
from compliance.evidence.builder.collect import Collected, css_string
from compliance.evidence.builder.digest import MANIFEST_NAME, sha256
from compliance.evidence.builder.run import Progress, org_name
from compliance.quality.objectives.labels import STATUS_LABELS as OBJECTIVE_STATES
from compliance.quality.objectives.models import Objective
from compliance.reports.annual.models import AnnualReport
from compliance.reports.models import ManagementReview
from compliance.scope.models import Announcement, ScopeEntry

# The sections in the order an inspection reads them.
SECTIONS = ("announcements", "scope", "objectives", "audits", "findings", "actions",
            "reviews", "reports")


@dataclass
class Row:
    """One record as the pack lists it: its day, reference, what it is, where it stands."""

    section: str
    day: date
    reference: str
    title: str
    status: str = ""

    def as_dict(self) -> dict:
        """The manifest's row."""
        return {"section": self.section, "date": self.day.isoformat(),
                "reference": self.reference, "title": self.title, "status": self.status}


def section_titles() -> dict[str, str]:
    """The titles of the inspection sections, in the pack's language."""
    return {"announcements": _("Announcements of conformity"),
            "scope": _("Scope of the quality system"),
            "objectives": _("Quality objectives and their results"),
            "audits": _("Internal audits"), "findings": _("Audit findings"),
            "actions": _("Corrective actions"), "reviews": _("Management reviews"),
            "reports": _("Reports on the quality system"),
            "chronology": _("All records in date order")}


def _announcements(start, end, locale) -> list[Row]:
    rows = db.session.scalars(select(Announcement).where(
        Announcement.state == "issued", Announcement.issued_on.between(start, end)))
    return [Row("announcements", a.issued_on, f"{a.number}/{a.symbol}",
                _("Decision announcing conformity to TCVN ISO 9001:2015")) for a in rows]


def _scope(start, end, locale) -> list[Row]:
    rows = db.session.scalars(select(ScopeEntry))
    return [Row("scope", local_date(e.created_at), e.national_code or "—", e.name,
                _("in scope") if e.in_scope else _("out of scope"))
            for e in rows if local_date(e.created_at) <= end]


def _objectives(start, end, locale) -> list[Row]:
    rows = db.session.scalars(select(Objective).where(
        Objective.year.between(start.year, end.year)))
    out = []
    for o in rows:
        target = "" if o.target is None else f"{o.target:g} {o.unit}".strip()
        value = "" if o.current_value is None else f"{o.current_value:g} {o.unit}".strip()
        result = str(OBJECTIVE_STATES.get(o.status, o.status))
        out.append(Row("objectives", o.evaluated_on or date(o.year, 1, 1), str(o.year),
                       o.statement(locale),
                       _("target %(target)s · value %(value)s · %(result)s",
                         target=target or "—", value=value or "—", result=result)))
    return out


def _audits(start, end, locale) -> list[Row]:
    rows = db.session.scalars(select(Audit).where(Audit.planned_start.between(start, end)))
    return [Row("audits", a.planned_start, a.reference, a.department.name(locale),
                str(AUDIT_STATES.get(a.status, a.status)))
            for a in rows]


def _findings(start, end, locale) -> list[Row]:
    rows = db.session.scalars(select(Finding).join(Finding.audit))
    return [Row("findings", local_date(f.created_at), f.reference, f.description,
                f.grade_rule.name(locale) if f.grade_rule else f.grade)
            for f in rows if start <= local_date(f.created_at) <= end]


def _actions(start, end, locale) -> list[Row]:
    rows = db.session.scalars(select(CorrectiveAction).where(
        CorrectiveAction.raised_on.between(start, end)))
    return [Row("actions", c.raised_on, c.reference, c.problem,
                str(CA_STATES.get(c.status, c.status))) for c in rows]


def _reviews(start, end, locale) -> list[Row]:
    rows = db.session.scalars(select(ManagementReview).where(
        ManagementReview.held_on.between(start, end)))
    # A review has no number of its own: its day and its chair say which it is.
    return [Row("reviews", r.held_on, "—", r.summary or "—",
                _("chaired by %(chair)s · period %(start)s – %(end)s", chair=r.chair,
                  start=format_day(r.period_start), end=format_day(r.period_end)))
            for r in rows]


def _reports(start, end, locale) -> list[Row]:
    rows = db.session.scalars(select(AnnualReport).where(
        AnnualReport.state == "issued", AnnualReport.issued_on.between(start, end)))
    return [Row("reports", r.issued_on, f"{r.number}/{r.symbol}",
                _("Annual report on the quality system, %(year)d", year=r.year)) for r in rows]


READERS = {"announcements": _announcements, "scope": _scope, "objectives": _objectives,
           "audits": _audits, "findings": _findings, "actions": _actions,
           "reviews": _reviews, "reports": _reports}


def records(start: date, end: date, locale: str) -> dict[str, list[Row]]:
    """Every section's records in the period, each in date order (then by reference)."""
    return {key: sorted(READERS[key](start, end, locale), key=lambda r: (r.day, r.reference))
            for key in SECTIONS}


def _html(pack, org, title, rows, chronology=False) -> str:
    return render_template("pdf/evidence/inspection.html", pack=pack, org_name=org,
                           section_title=title, rows=rows, chronology=chronology,
                           titles=section_titles(), locale=pack.locale, css=css_string)


def build(pack, progress: Progress, release) -> tuple:
    """Build the inspection pack; release() once the database is no longer needed."""
    with force_locale(pack.locale), tenancy.acting_for(pack.organisation_id):
        org = org_name(pack)
        found = records(pack.period_start, pack.period_end, pack.locale)
        every = sorted((r for rows in found.values() for r in rows),
                       key=lambda r: (r.day, SECTIONS.index(r.section), r.reference))
        titles = section_titles()
        html = {key: _html(pack, org, titles[key], found[key]) for key in SECTIONS}
        html["chronology"] = _html(pack, org, titles["chronology"], every, chronology=True)
        counts = {key: len(rows) for key, rows in found.items()}
        collected = Collected(documents=[], counts=counts, trail_head=scopes.trail_head())
        manifest = assemble.base_manifest(pack, org, collected, [], {})
        manifest["records"] = [r.as_dict() for r in every]
        manifest_html = render_template(
            "pdf/evidence/manifest.html", pack=pack, org_name=org, files=[],
            head=collected.trail_head, records=manifest["records"], titles=titles,
            manifest_name=MANIFEST_NAME, locale=pack.locale, css=css_string)
        release()
        titles |= {"manifest": assemble.section_titles()["manifest"]}
        parts = []
        for number, key in enumerate((*SECTIONS, "chronology")):
            parts.append(assemble.Part(key, titles[key], html_to_pdf(html[key])))
            progress(10 + number * 8, "render:" + key)
        parts.append(assemble.Part("manifest", titles["manifest"], html_to_pdf(manifest_html)))
        progress(88, "contents")
        front = assemble.front_matter(pack, org, assemble.section_titles(), parts)
        data, extra = assemble.merge(pack, org, front, parts, {}, manifest, progress)
    built = assemble.Built(data=data, pages=front.pages + sum(p.pages for p in parts),
                           manifest=manifest, manifest_sha256=sha256(extra["manifest_bytes"]))
    built.timings["generated_pages"] = built.pages
    return built, []
