"""The hostile corpus in every free-text field an evidence pack prints, built by the real
worker process: nothing fetched from the loopback trap, the canary never read, text as typed;
the documents' PDFs carry active content, and none of it reaches the pack."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.documents.models import Revision
from tests.documents.active_pdfs import CORPUS, TEXT, active_parts, active_pdf
from tests.evidence.helpers import download, request_build, wait_for
from tests.hostile_inputs import LITERALS
from tests.reports.test_hostile import _fill


@pytest.mark.one_database
def test_a_pack_of_hostile_records_fetches_nothing_and_prints_them_literally(
        app, make, login, trap):
    hits, token, items = trap
    people, _ids = _fill(app, make, items)
    _store_real_files(app)
    client = app.test_client()
    login(client, people.coordinator.email)
    pack_id = request_build(client, scope_kind="department", department_id=people.dept.id)
    state = wait_for(client, pack_id, timeout=600)
    assert state["status"] == "ready", state
    data = download(client, pack_id)
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text().replace("\x00", "").split())
                    for page in reader.pages)
    assert hits == []
    assert token not in text
    # Only the pack's own files are attached: the manifest (and non-PDF originals, none here).
    assert set(reader.attachments) == {"manifest.json"}
    for literal in LITERALS:
        assert literal in text, literal
    # The documents' copies: their pages and text, none of their scripts, actions or files
    # (the pack's own manifest is its one embedded file).
    assert TEXT in text
    assert active_parts(data, allowed=(b"EmbeddedFiles", b"EmbeddedFile", b"EF")) == []


def _store_real_files(app) -> None:
    """The report tests' documents name no stored file; a pack needs the originals."""
    data = active_pdf(*CORPUS)
    with app.app_context():
        blob = get_store().put(io.BytesIO(data), max_bytes=len(data))
        for revision in db.session.scalars(db.select(Revision)):
            revision.blob_sha256, revision.file_size = blob.sha256, blob.size
            revision.file_kind = "pdf"
        db.session.commit()
