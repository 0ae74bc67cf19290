"""The organisation's name as pages, e-mails and PDF headers show it: from its row (issue
14). The settings' ORG_NAME and ORG_NAME_VI only named the default organisation when it was
first made."""

from __future__ import annotations

from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.org.models import Organisation


def organisation_name(locale: str, organisation_id: int | None = None) -> str:
    """The name of an organisation (the acting one, else the default one) in a language."""
    if organisation_id is None:
        organisation_id = tenancy.acting_organisation_id()
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    return organisation.name(locale) if organisation else ""
