"""Oversight builds read-only outputs across the subtree it oversees (issue 14): an evidence
pack with each organisation's records as a section of its own and a manifest listing them,
and the six-monthly report with a section per organisation below; nothing of an organisation
outside the subtree is in either, and nothing is written in the organisations read."""

from __future__ import annotations

import io
import json
import re

from pypdf import PdfReader
from sqlalchemy import func, select

from compliance.audit_trail.models import AuditEvent
from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.evidence.builder.digest import MANIFEST_NAME
from compliance.installation.models import OversightGrant
from compliance.org import organisations
from compliance.org.models import Organisation
from tests.conftest import do_login
from tests.evidence.helpers import (
    PERIOD,
    doc_in_force,
    download,
    outline_titles,
    text_of,
    wait_for,
)
from tests.installation.helpers import second_organisation

TITLES = {"district": "Quy trình của huyện", "commune": "Quy trình của xã Tân Thạnh",
          "elsewhere": "Quy trình của nơi khác"}


def _document(app, make, organisation_id: int, title: str) -> None:
    # The same document code in each organisation: codes are unique within one only.
    with tenancy.acting_for(organisation_id):
        department = make.department(code="VP")
        author = make.user(departments=[(department.id, "department_head")])
        doc_in_force(app, department.id, author.id, code="QT-VP-01", title=title)


def _trail(app, organisation_id: int) -> list[str]:
    with app.app_context(), tenancy.across_organisations():
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.organisation_id == organisation_id).order_by(AuditEvent.seq)))


def _codes(app, *ids) -> list[str]:
    with app.app_context():
        return [db.session.get(Organisation, i).code for i in ids]


def test_an_overseer_builds_a_pack_and_a_report_across_the_subtree_only(app, make):
    with app.app_context():
        district = organisations.default_organisation().id
    commune = second_organisation(app, "TANTHANH")
    elsewhere = second_organisation(app, "KHAC", parent_default=False)
    for key, organisation_id in (("district", district), ("commune", commune),
                                 ("elsewhere", elsewhere)):
        _document(app, make, organisation_id, TITLES[key])
    # An inspector with no role in the district, and its coordinator, both overseeing it.
    inspector, coordinator = make.user(), make.user(roles=["coordinator"])
    with app.app_context():
        db.session.add_all([OversightGrant(user_id=person.id, organisation_id=district)
                            for person in (inspector, coordinator)])
        db.session.commit()
    commune_trail, district_trail = _trail(app, commune), _trail(app, district)
    client = app.test_client()
    do_login(client, inspector.email)

    assert 'href="/evidence/subtree/"' in client.get("/oversight/").get_data(as_text=True)
    page = client.get("/evidence/subtree/").get_data(as_text=True)
    assert f'value="{commune}"' in page and f'value="{elsewhere}"' not in page
    # An organisation not overseen is refused at the field; a blank form too.
    refused = client.post("/evidence/subtree/", data={"organisation_id": elsewhere, **PERIOD})
    assert refused.status_code == 400
    assert re.search(r'aria-describedby="organisation_id-error-0"[^>]*aria-invalid="true"'
                     r'[^>]*id="organisation_id"', refused.get_data(as_text=True))
    built = client.post("/evidence/subtree/", data={"organisation_id": district, **PERIOD})
    assert built.status_code == 302, built.get_data(as_text=True)[:2000]
    pack_id = int(re.search(r"/evidence/(\d+)$", built.headers["Location"]).group(1))
    state = wait_for(client, pack_id)
    assert state["status"] == "ready", state
    data = download(client, pack_id)

    reader = PdfReader(io.BytesIO(data))
    outline = outline_titles(reader)
    top = [item[0] for item in outline if isinstance(item, tuple)]
    district_code, commune_code = _codes(app, district, commune)
    named = [title for title in top if title.endswith(f"({district_code})")
             or title.endswith(f"({commune_code})")]
    assert len(named) == 2 and top[-1] == "Manifest", top
    # Under each organisation its own sections, and under its documents its own document.
    sections = [item for item in outline if isinstance(item, list)]
    assert len(sections) == 2
    for own in sections:
        assert [item[0] for item in own if isinstance(item, tuple)][:2] == [
            "Register of documents in force", "Documents in force"]
        assert [item[0][0].split(" · ")[0] for item in own if isinstance(item, list)] == \
            ["QT-VP-01"]
    text = text_of(data)
    assert TITLES["district"] in text and TITLES["commune"] in text
    assert TITLES["elsewhere"] not in text and "KHAC" not in text
    manifest = json.loads(reader.attachments[MANIFEST_NAME][0])
    assert [o["code"] for o in manifest["organisations"]] == [district_code, commune_code]
    assert sorted(f["organisation"] for f in manifest["files"]) == \
        sorted([district_code, commune_code])
    assert all(o["trail_head"] for o in manifest["organisations"])

    # Nothing written in the commune; the request and the result recorded in the district.
    assert _trail(app, commune) == commune_trail
    assert [action for action in _trail(app, district)[len(district_trail):]
            if not action.startswith("auth.")] == ["evidence.request", "evidence.ready"]
    # The pack is the overseers': never shared by link, and hidden from a coordinator of
    # the district who oversees nothing.
    assert client.post(f"/evidence/{pack_id}/links", data={"expires_on": "2026-07-01"}
                       ).status_code == 403
    colleague = app.test_client()
    do_login(colleague, make.user(roles=["coordinator"]).email)
    assert colleague.get(f"/evidence/{pack_id}").status_code == 403
    assert f"/evidence/{pack_id}\"" not in colleague.get("/evidence/").get_data(as_text=True)

    # The district's six-monthly report, read by its coordinator who oversees it: a section
    # per organisation below, none for one outside.
    reporter = app.test_client()
    do_login(reporter, coordinator.email)
    response = reporter.get("/reports/six-monthly/organisation.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    words = " ".join(text_of(response.data).split())
    assert "Organisations below" in words and f"({commune_code})" in words
    assert "KHAC" not in words
    with app.app_context(), tenancy.across_organisations():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.organisation_id == commune)) == len(commune_trail)
