"""Organisations: the first one, made from the settings, and the organisation a request acts
for (issue 14)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.org.models import Organisation


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


def current_organisation() -> Organisation | None:
    """The organisation the request or work acts for, else the default one."""
    organisation_id = tenancy.current_organisation_id()
    if organisation_id is not None:
        return db.session.get(Organisation, organisation_id)
    return default_organisation()


def create_organisation(*, code: str, name_vi: str, name_en: str,
                        parent: Organisation | None = None,
                        time_zone: str = "Asia/Ho_Chi_Minh") -> Organisation:
    """A new organisation (for the installation's own set-up and the tests; the
    administrator's pages come later)."""
    organisation = Organisation(code=code, name_vi=name_vi, name_en=name_en,
                                parent_id=parent.id if parent else None, time_zone=time_zone,
                                document_code_pattern="")
    db.session.add(organisation)
    db.session.flush()
    return organisation
