"""Oversight, record by record: an overseer opens each document, audit and corrective action
of an organisation below from its page, read-only (no form, no button), and no further."""

from __future__ import annotations

import re

from sqlalchemy import select

from compliance.audits.models import Audit
from compliance.capa.models import CorrectiveAction
from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.installation.models import OversightGrant
from compliance.org import organisations
from tests.conftest import do_login, pdf_rendered_in_process
from tests.documents.helpers import blank_pdf
from tests.installation.helpers import second_organisation, subtree_pack
from tests.installation.test_oversight import _records
from tests.page_browser import ALL_RULES, Shown, chromium, page_checker
from tests.page_checks import english_words, html_errors


def _ids(app, organisation_id: int) -> dict[str, int]:
    with app.app_context(), tenancy.across_organisations():
        return {kind: db.session.scalar(select(model.id).where(
                    model.organisation_id == organisation_id).order_by(model.id))
                for kind, model in (("documents", Document), ("audits", Audit),
                                    ("corrective-actions", CorrectiveAction))}


def test_an_overseer_opens_each_record_below_read_only_and_nothing_beyond(app, make, clock):
    with app.app_context():
        district = organisations.default_organisation().id
    commune = second_organisation(app, "TANTHANH")
    elsewhere = second_organisation(app, "KHAC", parent_default=False)
    with pdf_rendered_in_process(rendered=blank_pdf()):
        _records(app, make, commune)
        _records(app, make, elsewhere)
    overseer = make.user(roles=["coordinator"], locale="vi")
    with app.app_context():
        db.session.add(OversightGrant(user_id=overseer.id, organisation_id=district))
        db.session.commit()
    mine, theirs = _ids(app, commune), _ids(app, elsewhere)
    reader = app.test_client()
    do_login(reader, overseer.email)

    shown: list[Shown] = []
    listed = reader.get(f"/oversight/{commune}/").get_data(as_text=True)
    pages = {}
    for kind, record_id in mine.items():
        url = f"/oversight/{commune}/{kind}/{record_id}"
        assert f'href="{url}"' in listed, kind
        response = reader.get(url)
        assert response.status_code == 200, kind
        body = response.get_data(as_text=True)
        main = body[body.index("<main"):body.index("</main>")]
        assert 'data-testid="read-only"' in main
        # Read-only: nothing on the page writes (no form, no button in the page's content).
        assert not re.search(r"<form|<button|type=\"submit\"", main), kind
        pages[kind.replace("-", "_")] = response.data
        shown.append(Shown(kind, url, response, load=True, axe=ALL_RULES))
        # A record of an organisation not overseen, even named under one that is: not found.
        assert reader.get(f"/oversight/{commune}/{kind}/{theirs[kind]}").status_code == 404
        assert reader.get(f"/oversight/{elsewhere}/{kind}/{theirs[kind]}").status_code == 404
    assert "Commune procedure" in pages["documents"].decode() or \
        "Quy trình của xã" in pages["documents"].decode()
    assert "DG-1" in pages["audits"].decode() and "KP-1" in pages["corrective_actions"].decode()
    # The packs across the organisations overseen: their page and a ready one's.
    pack_id = subtree_pack(app, district, overseer.id)
    for kind, url in (("subtree_packs", "/evidence/subtree/"),
                      ("subtree_pack", f"/evidence/{pack_id}")):
        response = reader.get(url)
        assert response.status_code == 200, kind
        pages[kind] = response.data
        shown.append(Shown(kind, url, response, load=True, axe=ALL_RULES))
    assert html_errors(pages) == []
    # At 1366 and 390 px: nothing wider than the screen, no axe violation, no console error.
    with chromium() as browser, page_checker(browser, reader) as checker:
        checker.check(shown)
    assert [(page.label, page.problems) for page in shown if page.problems] == []
    # The overseer reads Vietnamese: no English left on the pages.
    assert all("Chỉ xem" in body.decode() for kind, body in pages.items()
               if not kind.startswith("subtree"))
    assert {kind: english_words(body) for kind, body in pages.items()} == \
        {kind: [] for kind in pages}

    # The records' own pages stay shut, and writing to them is refused.
    assert reader.get(f"/documents/{mine['documents']}").status_code == 404
    assert reader.post(f"/corrective-actions/{mine['corrective-actions']}/contain",
                       data={"correction": "x"}).status_code in (403, 404)
    # Someone without a grant is not told the records exist.
    stranger = app.test_client()
    do_login(stranger, make.user(roles=["coordinator"]).email)
    assert stranger.get(f"/oversight/{commune}/documents/{mine['documents']}").status_code == 404
