"""Every form that takes a file (revisions, corrective-action evidence, audit evidence, pack
verification) keeps a name that reads as it is: no bidirectional or other hidden characters,
NFC, a bounded length with the real extension; and the office checks hold on each form."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfWriter
from sqlalchemy import select

from compliance.audits.models import Evidence
from compliance.capa.models import CorrectiveFile
from compliance.core.extensions import db
from compliance.documents.models import Revision
from compliance.evidence.models import Verification
from tests import office_files
from tests.audits.helpers import audit_in_state, cast
from tests.capa.helpers import ca_in_state
from tests.documents.test_office_uploads import _refused_at_file
from tests.documents.test_rules import Setup

# What was sent -> the name kept.
NAMES = {
    "hoa-don\u202egpj.pdf": "hoa-dongpj.pdf",  # shown as "hoa-donfdp.jpg" before
    "a\u2066b\u2069\u200b\ufeffc\u202a\u202bd\u202c\u202de\u2067\u2068.pdf": "abcde.pdf",
    unicodedata.normalize("NFD", "Biên bản họp.pdf"): "Biên bản họp.pdf",
    "bell\x07tab\there\x1b.pdf": "belltabhere.pdf",
    "đ" * 300 + ".pdf": "đ" * 120 + ".pdf",
    "\u202e.pdf": "document.pdf",
}


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _post(client, url: str, content: bytes, filename: str, **data):
    return client.post(url, data={"file": (io.BytesIO(content), filename), **data},
                       content_type="multipart/form-data")


def _kept(app, model, count: int) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(select(model).order_by(model.id.desc()).limit(count)).all()
        return [row.filename for row in reversed(rows)]


def test_revision_file_names_read_as_they_are(app, make, login):
    s = Setup(app, make, login)
    pdf, kept = _pdf(), []
    for sent in NAMES:
        assert s.upload(content=pdf, filename=sent).status_code == 302
        kept += _kept(app, Revision, 1)
    assert kept == list(NAMES.values())
    page = s.author.get(f"/documents/{s.doc_id}").get_data(as_text=True)
    assert "\u202e" not in page and "document.pdf" in page


def test_corrective_action_and_audit_evidence_names_and_office_checks(app, make, login):
    people = cast(make)
    pdf = _pdf()
    macro = office_files.changed(office_files.docx(), {"word/vbaProject.bin": b"\xd0\xcf"})
    ca = ca_in_state(app, people.dept.id, "open", coordinator_id=people.coordinator.id,
                     owner_id=people.head.id)
    head = app.test_client()
    login(head, people.head.email)
    url = f"/corrective-actions/{ca.ca_id}/files"
    assert _refused_at_file(_post(head, url, macro, "ke-hoach.docx"),
                            "macros (word/vbaProject.bin)")
    # The whole table goes through the revision form above; here, the same function is used.
    some = dict(list(NAMES.items())[:2])
    for sent in some:
        assert _post(head, url, pdf, sent).status_code == 302
    assert _kept(app, CorrectiveFile, len(some)) == list(some.values())

    audit = audit_in_state(app, people, "in_progress")
    lead = app.test_client()
    login(lead, people.lead.email)
    url = f"/audits/{audit.audit_id}/items/{audit.item_ids[0]}/evidence/file"
    assert _refused_at_file(_post(lead, url, office_files.odf(content=""), "bien-ban.odt"),
                            "content.xml is missing")
    for sent in some:
        assert _post(lead, url, pdf, sent).status_code == 302
    assert _kept(app, Evidence, len(some)) == list(some.values())

    sent = "goi-chung-cu\u202efdp.exe.pdf"
    response = _post(lead, "/evidence/verify", b"%PDF-1.7\nnot really", sent)
    assert response.status_code == 302
    assert _kept(app, Verification, 1) == ["goi-chung-cufdp.exe.pdf"]
