"""Organisations, their first administrators and oversight grants, by the installation
administrator (and grants by an organisation's own administrator)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth import services as accounts
from compliance.auth.models import User
from compliance.core import tenancy
from compliance.core.db import check_version
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.core.files import JPEG, PNG, accept_upload
from compliance.installation import rules, tree
from compliance.installation.models import OversightGrant
from compliance.org import organisations
from compliance.org.models import Organisation

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
# The zones an organisation of this product runs in; the first is every Vietnamese one's.
TIME_ZONES = ("Asia/Ho_Chi_Minh", "Asia/Bangkok", "Asia/Phnom_Penh", "Asia/Vientiane",
              "Asia/Jakarta", "Asia/Singapore", "Asia/Tokyo", "Europe/Paris", "Europe/London",
              "UTC")
SEQ_SAMPLE = {"type": "QT", "dept": "TCKH", "seq": 7}
MADE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]*$")


@dataclass(frozen=True)
class OrganisationInput:
    """What the organisation form sends."""

    code: str
    name_vi: str
    name_en: str
    parent_id: int | None
    time_zone: str
    document_code_pattern: str


def get_organisation(organisation_id: int, for_update: bool = False) -> Organisation:
    """Load an organisation or raise NotFound."""
    found = db.session.get(Organisation, organisation_id, with_for_update=for_update)
    if found is None:
        raise NotFound(_("No such organisation."))
    return found


def _clean(data: OrganisationInput, own: Organisation | None) -> OrganisationInput:
    code = (data.code or "").strip().upper()
    if not CODE_PATTERN.match(code):
        raise DomainError(_("A code is 1 to 32 capital letters, digits, '-' or '_'."),
                          field="code")
    taken = db.session.scalar(select(Organisation.id).where(Organisation.code == code))
    if taken is not None and (own is None or taken != own.id):
        raise DomainError(_("The code %(code)s is already used.", code=code), field="code")
    if data.time_zone not in TIME_ZONES:
        raise DomainError(_("Choose a time zone from the list."), field="time_zone")
    pattern = (data.document_code_pattern or "").strip()
    _check_pattern(pattern)
    _check_parent(data.parent_id, own)
    return OrganisationInput(code, data.name_vi.strip(), data.name_en.strip(), data.parent_id,
                             data.time_zone, pattern)


def _check_pattern(pattern: str) -> None:
    """An empty pattern is the installation's; any other must make valid codes."""
    if not pattern:
        return
    try:
        sample = pattern.format(**SEQ_SAMPLE)
    except (KeyError, IndexError, ValueError):
        sample = None
    if sample is None or "{seq" not in pattern or not MADE_CODE.match(sample):
        raise DomainError(_("A code pattern uses {type}, {dept} and {seq} (e.g. "
                            "{type}-{dept}-{seq:02d}) and makes only capitals, digits, '.', "
                            "'-' and '_'."), field="document_code_pattern")


def _check_parent(parent_id: int | None, own: Organisation | None) -> None:
    if parent_id is None:
        return
    if db.session.get(Organisation, parent_id) is None:
        raise DomainError(_("Choose among the listed entries."), field="parent_id")
    if own is not None and parent_id in tree.subtree_ids([own.id]):
        raise DomainError(_("An organisation cannot be placed below itself or one of its "
                            "own."), field="parent_id")


def _logo(stream: BinaryIO | None, filename: str) -> str | None:
    """The stored logo's digest: a real PNG or JPEG image (never SVG, which can hold script)."""
    if stream is None or not filename:
        return None
    upload = accept_upload(stream, filename, field="logo")
    if upload.kind not in (PNG, JPEG):
        raise DomainError(_("A logo is a PNG or JPEG image."), status=415, field="logo")
    return upload.sha256


def create(actor, data: OrganisationInput, logo: BinaryIO | None = None,
           logo_name: str = "") -> Organisation:
    """A new organisation in the tree."""
    rules.ensure(rules.may_manage_organisations(actor))
    data = _clean(data, None)
    logo_sha256 = _logo(logo, logo_name)
    parent = db.session.get(Organisation, data.parent_id) if data.parent_id else None
    # Its creation opens the new organisation's own chain (create_organisation); the event
    # below is the installation administrator's, in their organisation's chain.
    organisation = organisations.create_organisation(
        actor, code=data.code, name_vi=data.name_vi, name_en=data.name_en, parent=parent,
        time_zone=data.time_zone, document_code_pattern=data.document_code_pattern)
    organisation.logo_sha256 = logo_sha256
    db.session.flush()
    record(actor, "organisation.create", "organisation", organisation.id,
           after=_trail(organisation))
    return organisation


def update(actor, organisation: Organisation, expected_version: int | None,
           data: OrganisationInput, logo: BinaryIO | None = None, logo_name: str = "",
           drop_logo: bool = False) -> Organisation:
    """Change an organisation; a stale form is a conflict (409), not an overwrite."""
    rules.ensure(rules.may_manage_organisations(actor))
    check_version(organisation, expected_version,
                  _("Someone else changed this organisation meanwhile. Reload it and make "
                    "your change again."))
    data = _clean(data, organisation)
    before = _trail(organisation)
    new_logo = _logo(logo, logo_name)
    organisation.code, organisation.name_vi, organisation.name_en = \
        data.code, data.name_vi, data.name_en
    organisation.parent_id, organisation.time_zone = data.parent_id, data.time_zone
    organisation.document_code_pattern = data.document_code_pattern
    if new_logo is not None:
        organisation.logo_sha256 = new_logo
    elif drop_logo:
        organisation.logo_sha256 = None
    db.session.flush()
    record(actor, "organisation.update", "organisation", organisation.id, before=before,
           after=_trail(organisation))
    return organisation


def _trail(organisation: Organisation) -> dict:
    # "sha256" keeps the logo's file stored while the trail names it (storage check).
    return {**organisation.snapshot(), "sha256": organisation.logo_sha256}


def create_first_admin(actor, organisation: Organisation, *, name: str, email: str,
                       locale: str) -> tuple[User, str]:
    """The organisation's administrator, with a temporary password to pass on once (they
    change it from their account page)."""
    rules.ensure(rules.may_manage_organisations(actor))
    # E-mail addresses are unique in the whole installation (one sign-in page).
    with tenancy.across_organisations():
        if accounts.find_by_email(email) is not None:
            raise accounts.AddressTaken()
    password = secrets.token_urlsafe(12)
    with tenancy.acting_for(organisation.id):
        user = accounts.create_user(actor, email, name, password, locale, ("admin",),
                                    current_app.config["PASSWORD_MIN_LENGTH"], check=False)
    record(actor, "organisation.first_admin", "organisation", organisation.id,
           after={"user_id": user.id, "email": user.email, "name": user.name})
    return user, password


def grant_oversight(actor, organisation: Organisation, email: str) -> OversightGrant:
    """Let a person read the organisation and every one below it."""
    rules.ensure(rules.may_grant_oversight(actor, organisation))
    with tenancy.across_organisations():
        person = accounts.find_by_email(email)
    # An organisation's administrator grants only to the people of their own organisation.
    if person is None or not (rules.is_installation_admin(actor)
                              or person.organisation_id == actor.organisation_id):
        raise DomainError(_("No account has this e-mail address."), field="email")
    existing = db.session.scalar(select(OversightGrant).where(
        OversightGrant.user_id == person.id, OversightGrant.organisation_id == organisation.id))
    if existing is not None:
        raise DomainError(_("%(name)s already oversees this organisation.", name=person.name),
                          field="email")
    grant = OversightGrant(user_id=person.id, organisation_id=organisation.id,
                           granted_by_id=actor.id)
    db.session.add(grant)
    db.session.flush()
    record(actor, "oversight.grant", "organisation", organisation.id,
           after={"user_id": person.id, "email": person.email})
    return grant


def revoke_oversight(actor, organisation: Organisation, grant_id: int) -> None:
    """End a person's oversight of the organisation's subtree."""
    rules.ensure(rules.may_grant_oversight(actor, organisation))
    grant = db.session.get(OversightGrant, grant_id)
    if grant is None or grant.organisation_id != organisation.id:
        raise NotFound(_("No such grant."))
    record(actor, "oversight.revoke", "organisation", organisation.id,
           before={"user_id": grant.user_id, "email": grant.user.email})
    db.session.delete(grant)
    db.session.flush()


def grants_of(organisation: Organisation) -> list[OversightGrant]:
    """Who oversees the organisation's subtree through a grant on it."""
    with tenancy.across_organisations():
        return list(db.session.scalars(select(OversightGrant).where(
            OversightGrant.organisation_id == organisation.id).order_by(OversightGrant.id)))


def make_installation_admin(email: str) -> User:
    """Flag a person as the installation's administrator (the CLI's command)."""
    with tenancy.across_organisations():
        person = accounts.find_by_email(email)
    if person is None:
        raise DomainError(_("No account has this e-mail address."), field="email")
    if not person.is_installation_admin:
        person.is_installation_admin = True
        db.session.flush()
        record(None, "user.installation_admin", "user", person.id,
               after={"email": person.email}, actor_label="cli")
    return person
