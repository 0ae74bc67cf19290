"""Public registers per organisation: each organisation's at /public/<code>/ lists only its
own documents; /public/ is the register itself with one organisation and an index of all of
them with several; old addresses keep working."""

from __future__ import annotations

from compliance.core import tenancy
from tests.conftest import do_login, pdf_rendered_in_process
from tests.documents.helpers import blank_pdf, document_target
from tests.installation.helpers import second_organisation


def _public_document(app, make, organisation_id: int, title: str):
    with tenancy.acting_for(organisation_id):
        department = make.department()
        author = make.user(departments=[(department.id, "staff")])
        found = document_target(app, department.id, author.id, "effective", public=True,
                                content=blank_pdf())
    from compliance.core.extensions import db
    from compliance.documents.models import Document

    with app.app_context():
        db.session.execute(db.update(Document).where(Document.id == found.document_id)
                           .values(title_vi=title, title_en=title))
        db.session.commit()
    return found


def test_each_organisation_has_its_own_public_register(app, make, client):
    from compliance.org import organisations

    with app.app_context():
        district = organisations.default_organisation()
        district_id, district_code = district.id, district.code
    ours = _public_document(app, make, district_id, "Thủ tục của huyện")
    # With one organisation, /public/ is its register, with the addresses printed before.
    alone = client.get("/public/").get_data(as_text=True)
    assert "Thủ tục của huyện" in alone and f'href="/public/{ours.code}"' in alone

    commune_id = second_organisation(app, "TANTHANH")
    theirs = _public_document(app, make, commune_id, "Thủ tục của xã")
    # The same document code in both: each register still serves its own.
    assert theirs.code == ours.code

    index = client.get("/public/")
    body = index.get_data(as_text=True)
    assert index.status_code == 200 and 'data-testid="public-registers"' in body
    assert "/public/TANTHANH/" in body and f"/public/{district_code}/" in body
    assert "Thủ tục" not in body

    commune = client.get("/public/TANTHANH/").get_data(as_text=True)
    assert "Thủ tục của xã" in commune and "Thủ tục của huyện" not in commune
    assert f'href="/public/TANTHANH/{theirs.code}"' in commune
    district_page = client.get(f"/public/{district_code}/").get_data(as_text=True)
    assert "Thủ tục của huyện" in district_page and "Thủ tục của xã" not in district_page

    with pdf_rendered_in_process(rendered=blank_pdf()):
        own_copy = client.get(f"/public/TANTHANH/{theirs.code}")
        assert own_copy.status_code == 200 and own_copy.mimetype == "application/pdf"
        # An old address names the default organisation's document.
        assert client.get(f"/public/{ours.code}").status_code == 200
        # Someone signed in to the district downloads the commune's public copy too.
        signed_in = app.test_client()
        do_login(signed_in, make.user(roles=["coordinator"]).email)
        assert signed_in.get(f"/public/TANTHANH/{theirs.code}").status_code == 200
        assert "Thủ tục của xã" in signed_in.get("/public/TANTHANH/").get_data(as_text=True)
    assert client.get("/public/NOWHERE/").status_code == 404
    assert client.get("/public/TANTHANH/QT-NONE-01").status_code == 404
    # An organisation's code at the old address sends to its register.
    moved = client.get("/public/TANTHANH")
    assert moved.status_code in (301, 302, 308)
    assert moved.headers["Location"].endswith("/public/TANTHANH/")
