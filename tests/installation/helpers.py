"""Shared pieces of the installation tests: an installation administrator, a second
organisation, a real image, a pack across a subtree."""

from __future__ import annotations

import struct
import zlib
from datetime import date
from types import SimpleNamespace

from sqlalchemy import update

from compliance.auth.models import User
from compliance.core import tenancy
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.installation.models import OversightGrant
from compliance.org import organisations
from compliance.org.models import Department, Organisation
from tests import factories
from tests.documents.helpers import blank_pdf
from tests.evidence.helpers import ready_pack


def png_bytes() -> bytes:
    """A real one-pixel PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def installation_admin(app, make):
    """An administrator of the default organisation who also administers the installation."""
    person = make.user(roles=["admin"])
    with app.app_context():
        db.session.execute(update(User).where(User.id == person.id)
                           .values(is_installation_admin=True))
        db.session.commit()
    return person


def second_organisation(app, code: str = "XA", parent_default: bool = True) -> int:
    """A commune below the default organisation (the district); its id."""
    with app.app_context(), write_intent():
        parent = organisations.default_organisation() if parent_default else None
        made = organisations.create_organisation(code=code, name_vi=f"Xã {code}",
                                                 name_en=f"{code} Commune", parent=parent)
        db.session.commit()
        return made.id


def organisation_target(app, endpoint: str, department_id: int, *, fresh: bool = False):
    """The organisation of a department (its id and code, for the installation, oversight
    and public routes that name one), or with `fresh` a new one for the installation's
    routes; and, for the route that ends one, a grant of oversight on it."""
    # Writing from the first statement (BEGIN IMMEDIATE on SQLite): a read that turned into a
    # write fails at once when another process (an evidence worker a walk started) wrote
    # in between.
    with app.app_context(), write_intent(), tenancy.across_organisations():
        organisation = db.session.get(Organisation,
                                      db.session.get(Department, department_id).organisation_id)
        if fresh and endpoint.startswith("installation."):
            organisation = organisations.create_organisation(
                code=f"ORG{department_id}", name_vi=f"Xã {department_id}",
                name_en=f"Commune {department_id}", parent=organisation)
        found = SimpleNamespace(organisation_id=organisation.id, org_code=organisation.code,
                                grant_id=0)
        if endpoint == "installation.revoke":
            with tenancy.acting_for(organisation.id):
                overseer = factories.UserFactory()
                grant = OversightGrant(user_id=overseer.id, organisation_id=organisation.id)
                db.session.add(grant)
                db.session.flush()
                found.grant_id = grant.id
        db.session.commit()
        return found


def subtree_pack(app, organisation_id: int, creator_id: int) -> int:
    """A ready pack across an organisation and those below it (its stored file a plain PDF):
    for the pages that show one, without building it."""
    return ready_pack(app, creator_id, scope_kind="subtree", scope_id=organisation_id,
                      scope_label="Huyện và các xã", data=blank_pdf(),
                      period_end=date(2026, 6, 30))
