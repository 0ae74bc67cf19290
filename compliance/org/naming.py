"""The organisation's name as pages, e-mails and PDF headers show it: from its row (issue
14). The settings' ORG_NAME and ORG_NAME_VI only named the default organisation when it was
first made."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context

from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.core.pdf.state_format import place_from
from compliance.org.models import Organisation


def organisation_row(organisation_id: int | None) -> Organisation | None:
    """The organisation's row; within a request, read once and kept for the rest of it (the
    page's title, header and footer all name it, and the session's identity map keeps a row
    only while someone holds it)."""
    if not organisation_id:
        return None
    if not has_request_context():
        return db.session.get(Organisation, organisation_id)
    kept = g.setdefault("compliance_organisation_rows", {})
    if organisation_id not in kept:
        kept[organisation_id] = db.session.get(Organisation, organisation_id)
    return kept[organisation_id]


def organisation_name(locale: str, organisation_id: int | None = None) -> str:
    """The name of an organisation (the acting one, else the default one) in a language."""
    if organisation_id is None:
        organisation_id = tenancy.acting_organisation_id()
    organisation = organisation_row(organisation_id)
    return organisation.name(locale) if organisation else ""


@dataclass(frozen=True)
class HeaderOrganisation:
    """What the page header shows of an organisation, kept across requests (core.kept): a
    row of the database would be detached from the next request's session."""

    id: int
    logo_sha256: str | None
    name_vi: str
    name_en: str

    def name(self, locale: str) -> str:
        """The name in the reader's language."""
        return self.name_en if locale == "en" else self.name_vi

    @classmethod
    def of(cls, row: Organisation | None) -> HeaderOrganisation | None:
        """The header's copy of an organisation row."""
        return None if row is None else cls(row.id, row.logo_sha256, row.name_vi, row.name_en)


def issuing_body(organisation_id: int | None = None) -> tuple[str, str, str]:
    """The superior, the issuing body (both upper case, as the state's format writes them)
    and the place line's place of an organisation (the acting one by default)."""
    row = organisation_row(organisation_id or tenancy.acting_organisation_id())
    name = row.name_vi if row else ""
    superior = row.parent.name_vi.upper() if row and row.parent else ""
    return superior, name.upper(), place_from(name)
