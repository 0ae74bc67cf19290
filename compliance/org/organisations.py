"""Organisations: the first one, made from the settings, a new one with everything it needs,
and the organisation a request acts for (issue 14)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from compliance.audit_trail.services import record
from compliance.audits.services import grades, questions
from compliance.core import tenancy
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.org.models import Organisation

# As a department's code (org.services), which it may stand beside in references.
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


def load_default() -> Organisation:
    """The first organisation, made from the settings (ORG_CODE, ORG_NAME, ORG_NAME_VI,
    ORG_TIMEZONE, DOCUMENT_CODE_PATTERN) when the database has none."""
    existing = db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
    if existing is not None:
        return existing
    config = current_app.config
    organisation = Organisation(
        code=config["ORG_CODE"], name_en=config["ORG_NAME"],
        name_vi=config.get("ORG_NAME_VI") or config["ORG_NAME"],
        time_zone=config["ORG_TIMEZONE"], document_code_pattern="")
    db.session.add(organisation)
    db.session.flush()
    return organisation


def default_organisation_id() -> int | None:
    """The id of the first organisation: the one the settings described before there were
    several."""
    return db.session.scalar(select(func.min(Organisation.id)))


def default_organisation() -> Organisation | None:
    """The first organisation."""
    first = default_organisation_id()
    return db.session.get(Organisation, first) if first is not None else None


def by_code(code: str | None) -> Organisation | None:
    """The organisation with this code; no code: the default one (a command's `--org`)."""
    if not code:
        return default_organisation()
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def all_organisations() -> list[Organisation]:
    """Every organisation of the installation, the default one first."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.id)))


def current_organisation() -> Organisation | None:
    """The organisation the request or work acts for, else the default one."""
    organisation_id = tenancy.current_organisation_id()
    if organisation_id is not None:
        return db.session.get(Organisation, organisation_id)
    return default_organisation()


def _checked(code: str, name_vi: str, name_en: str, time_zone: str,
             parent: Organisation | None) -> tuple[str, str, str]:
    code = (code or "").strip().upper()
    if not CODE_PATTERN.match(code):
        raise DomainError(_("The code is 1 to 32 capital letters, digits, hyphens or "
                            "underscores, starting with a letter or a digit."), field="code")
    if db.session.scalar(select(Organisation.id).where(Organisation.code == code)):
        raise DomainError(_("Another organisation already has this code."), field="code")
    name_vi, name_en = (name_vi or "").strip(), (name_en or "").strip()
    if not name_vi or not name_en:
        raise DomainError(_("Name the organisation in both languages."),
                          field="name_vi" if not name_vi else "name_en")
    try:
        ZoneInfo(time_zone)
    except (ValueError, ZoneInfoNotFoundError):
        raise DomainError(_("Unknown time zone."), field="time_zone") from None
    if parent is not None and parent.id is None:
        raise DomainError(_("Choose an existing parent organisation."), field="parent_id")
    return code, name_vi, name_en


def create_organisation(actor=None, *, code: str, name_vi: str, name_en: str,
                        parent: Organisation | None = None,
                        time_zone: str = "Asia/Ho_Chi_Minh",
                        document_code_pattern: str = "") -> Organisation:
    """A new organisation with everything it needs to work (in the caller's unit of work):
    the row, its own finding grades and question bank copied from the defaults, and the
    first event of its own audit-trail chain. Its retention rules, approval chains and risk
    scale are the built-in defaults until its coordinator sets its own."""
    code, name_vi, name_en = _checked(code, name_vi, name_en, time_zone, parent)
    organisation = Organisation(code=code, name_vi=name_vi, name_en=name_en,
                                parent_id=parent.id if parent else None, time_zone=time_zone,
                                document_code_pattern=(document_code_pattern or "").strip())
    db.session.add(organisation)
    db.session.flush()
    with tenancy.acting_for(organisation.id):
        grades.load_defaults(organisation.id)
        questions.load_bank(organisation.id)
        record(actor, "organisation.create", "organisation", organisation.id,
               after=organisation.snapshot())
    return organisation
