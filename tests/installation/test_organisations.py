"""The installation administrator: the tree of organisations, creating and changing one
(bad input at its field, stale edits refused), its first administrator, the header naming
it, and the command that makes an installation administrator."""

from __future__ import annotations

import io

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.auth.models import User
from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.org.models import Organisation
from tests.conftest import do_login
from tests.installation.helpers import installation_admin, png_bytes

FORM = {"code": "TANTHANH", "name_vi": "Ủy ban nhân dân xã Tân Thạnh",
        "name_en": "Tan Thanh Commune People's Committee", "parent_id": "",
        "time_zone": "Asia/Ho_Chi_Minh", "document_code_pattern": "{type}-{dept}-{seq:02d}",
        "submit": "1"}


def _organisation(app, code: str) -> Organisation:
    with app.app_context():
        found = db.session.scalar(select(Organisation).where(Organisation.code == code))
        db.session.expunge_all()
        return found


def test_the_installation_administrator_creates_an_organisation_and_its_administrator(
        app, make):
    admin = installation_admin(app, make)
    client = app.test_client()
    assert do_login(client, admin.email).status_code == 302
    with app.app_context():
        district = db.session.scalar(select(Organisation.id).order_by(Organisation.id))
    assert client.get("/installation/organisations/").status_code == 200
    page = client.get("/installation/organisations/new")
    assert page.status_code == 200 and "Asia/Ho_Chi_Minh" in page.get_data(as_text=True)

    # Bad input: 400 at the field, what was typed kept, nothing written.
    for field, value, says in (("code", "tân thạnh!", "capital letters"),
                               ("time_zone", "Mars/Olympus", "Choose the time zone"),
                               ("document_code_pattern", "{nope}", "code pattern uses"),
                               ("parent_id", "999999", "Choose among")):
        refused = client.post("/installation/organisations/new", data={**FORM, field: value})
        body = refused.get_data(as_text=True)
        assert refused.status_code == 400, (field, refused.status_code)
        assert says in body and "Ủy ban nhân dân xã Tân Thạnh" in body, field
    # A logo that is not an image (a PDF renamed, a script) is refused at its field.
    for content, name in ((b"%PDF-1.4 not really", "logo.png"),
                          (b"<svg onload=alert(1)></svg>", "logo.svg")):
        refused = client.post("/installation/organisations/new", content_type="multipart/form-data",
                              data={**FORM, "logo": (io.BytesIO(content), name)})
        assert refused.status_code in (400, 415), refused.status_code
        assert "Tân Thạnh" in refused.get_data(as_text=True)
    assert _organisation(app, "TANTHANH") is None

    made = client.post("/installation/organisations/new", content_type="multipart/form-data",
                       data={**FORM, "parent_id": str(district),
                             "logo": (io.BytesIO(png_bytes()), "logo.png")})
    assert made.status_code == 302
    commune = _organisation(app, "TANTHANH")
    assert commune.parent_id == district and commune.logo_sha256
    assert commune.document_code_pattern == "{type}-{dept}-{seq:02d}"
    tree = client.get("/installation/organisations/").get_data(as_text=True)
    assert "TANTHANH" in tree and "Tan Thanh Commune People" in tree
    logo = client.get(f"/public/logos/{commune.id}")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    detail = client.get(f"/installation/organisations/{commune.id}").get_data(as_text=True)
    assert "created the organisation TANTHANH" in detail

    # The code is taken; a stale edit is a conflict; a fresh one goes through.
    taken = client.post("/installation/organisations/new", data=FORM)
    assert taken.status_code == 400 and "already used" in taken.get_data(as_text=True)
    edit = f"/installation/organisations/{commune.id}/edit"
    stale = client.post(edit, data={**FORM, "name_en": "Stale", "version": commune.version - 1
                                    if commune.version > 1 else 99})
    assert stale.status_code == 409
    below_itself = client.post(edit, data={**FORM, "parent_id": str(commune.id),
                                           "version": commune.version})
    assert below_itself.status_code == 400
    saved = client.post(edit, data={**FORM, "name_en": "Tan Thanh Commune",
                                    "parent_id": str(district), "version": commune.version,
                                    "drop_logo": "y"})
    assert saved.status_code == 302
    assert _organisation(app, "TANTHANH").logo_sha256 is None

    # Its first administrator: the temporary password once, on this answer only.
    admins = f"/installation/organisations/{commune.id}/administrators"
    bad = client.post(admins, data={"name": "Lê Thị Hoa", "email": "not an address",
                                    "locale": "vi", "submit": "1"})
    assert bad.status_code == 400 and "Lê Thị Hoa" in bad.get_data(as_text=True)
    make.user(email="taken@example.com")
    taken = client.post(admins, data={"name": "Lê Thị Hoa", "email": "taken@example.com",
                                      "locale": "vi", "submit": "1"})
    assert taken.status_code == 409 and "already exists" in taken.get_data(as_text=True)
    created = client.post(admins, data={"name": "Lê Thị Hoa", "email": "hoa@tanthanh.example.com",
                                        "locale": "vi", "submit": "1"})
    assert created.status_code == 201
    body = created.get_data(as_text=True)
    start = body.index('<code class="fs-5">') + len('<code class="fs-5">')
    password = body[start:body.index("</code>", start)]
    with app.app_context(), tenancy.across_organisations():
        hoa = db.session.scalar(select(User).where(User.email == "hoa@tanthanh.example.com"))
        assert hoa.organisation_id == commune.id and "admin" in hoa.global_roles
        assert not hoa.is_installation_admin
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"organisation.create", "organisation.update", "organisation.first_admin",
            "user.create"} <= actions
    assert password not in client.get(f"/installation/organisations/{commune.id}").get_data(
        as_text=True)

    # She signs in to her own organisation, named in the header; she is no installation admin.
    theirs = app.test_client()
    assert do_login(theirs, "hoa@tanthanh.example.com", password).status_code == 302
    home = theirs.get("/").get_data(as_text=True)
    assert 'data-testid="header-organisation"' in home and "xã Tân Thạnh" in home
    assert theirs.get("/installation/organisations/").status_code == 403


def test_the_command_makes_an_installation_administrator(app, make, runner):
    person = make.user(roles=["admin"])
    client = app.test_client()
    do_login(client, person.email)
    assert client.get("/installation/organisations/").status_code == 403
    result = runner.invoke(args=["org", "make-installation-admin", person.email.upper()])
    assert result.exit_code == 0, result.output
    assert "installation's administrator" in result.output
    assert client.get("/installation/organisations/").status_code == 200
    unknown = runner.invoke(args=["org", "make-installation-admin", "nobody@example.com"])
    assert unknown.exit_code != 0 and "No account" in unknown.output
