"""Active PDF content (scripts, launch actions, embedded files, form submission, players,
XFA) is named to the uploader, recorded on the revision, kept in the original, and removed
from every copy the product issues; the pages and their text stay."""

from __future__ import annotations

import hashlib
import html
import io

from pypdf import PdfReader
from sqlalchemy import select

from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.documents.models import Revision
from tests.documents.active_pdfs import CORPUS, TEXT, active_parts, active_pdf
from tests.documents.helpers import document_target
from tests.documents.test_rules import Setup

LABELS = {"javascript": "JavaScript",
          "launch": "actions that start a program or open another file",
          "submit": "actions that send form data or import data",
          "embedded_file": "embedded files", "multimedia": "multimedia content",
          "xfa": "an XFA form"}


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_uploader_is_told_what_was_found_and_the_original_is_kept(app, make, login):
    s = Setup(app, make, login)
    for name, (_add, kinds) in CORPUS.items():
        content = active_pdf(name)
        response = s.upload(content=content, summary=f"Bản có {name}")
        assert response.status_code == 302, (name, response.status_code)
        page = _page(s.author.get(response.headers["Location"]))
        for kind in kinds:
            assert LABELS[kind] in page, (name, kind)
        assert "will be removed from every copy the product issues" in page, name
        assert "Found in the file and removed from every copy" in page, name
        with app.app_context():
            revision = db.session.scalars(select(Revision)).one()  # the draft takes each file
            assert revision.active_kinds == kinds, name
            assert get_store().read(revision.blob_sha256) == content, name
    rev_id = revision.id
    original = s.coordinator.get(s.url(rev_id, "original"))
    assert original.status_code == 200
    assert original.data == content  # byte for byte, active parts and all
    assert active_parts(original.data)


def test_a_plain_pdf_gets_no_warning(app, make, login):
    s = Setup(app, make, login)
    response = s.upload()
    page = _page(s.author.get(response.headers["Location"]))
    assert "will be removed from every copy" not in page
    assert "Found in the file and removed" not in page
    with app.app_context():
        assert db.session.scalars(select(Revision)).one().active_content == ""


def _readable(copy: bytes, stamp: str) -> None:
    pages = PdfReader(io.BytesIO(copy)).pages
    assert len(pages) == 2
    for page in pages:
        text = " ".join(page.extract_text().split())
        assert TEXT in text and stamp in text


def test_every_copy_issued_has_the_active_parts_removed(app, make, login):
    content = active_pdf(*CORPUS)
    assert len(active_parts(content)) > 10  # what there is to remove
    dept = make.department(code="VP")
    head = make.user(departments=[(dept.id, "department_head")])
    coordinator = make.user(roles=["coordinator"])
    target = document_target(app, dept.id, head.id, public=True, content=content)
    client = app.test_client()
    login(client, head.email)

    controlled = client.get(f"/documents/{target.document_id}/revisions/"
                            f"{target.revision_id}/download")
    assert controlled.status_code == 200
    assert active_parts(controlled.data) == []
    _readable(controlled.data, "UNCONTROLLED WHEN PRINTED")

    public = app.test_client().get(f"/public/{target.code}", headers={"Accept-Language": "en"})
    assert public.status_code == 200
    assert active_parts(public.data) == []
    _readable(public.data, "Public information copy")

    client = app.test_client()
    login(client, coordinator.email)
    original = client.get(f"/documents/{target.document_id}/revisions/{target.revision_id}/"
                          "original")
    assert original.status_code == 200
    assert hashlib.sha256(original.data).digest() == hashlib.sha256(content).digest()
