"""Office files get a PDF rendition at upload, made by the real LibreOffice in the limited
render child: controlled, superseded and public copies of a DOCX are stamped PDFs made from
it, the original stays available unchanged to those who may fetch originals, and nothing is
fetched from the network while it is made. A conversion past its time limit is refused at
the file field; without a converter the document page says so and a copy is the original
file, with a warning, until the administrator's command makes the missing PDFs.

LibreOffice takes 1-3 s a conversion, so the file makes few: per database, one DOCX through
the upload page, one by the command and one stopped at its limit; one XLSX per process."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.core.pdf import convert
from compliance.core.storage import get_store
from compliance.core.storage_check import references
from compliance.documents.models import Document, Rendition, Revision
from tests.documents.helpers import pdf_bytes
from tests.documents.test_forms import field_html
from tests.documents.test_rules import Setup
from tests.factories import PASSWORD
from tests.office_files import xlsx

DOCX_TEXT = "Quy trình tiếp nhận hồ sơ một cửa"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def soffice() -> str:
    """LibreOffice, which scripts/test installs (OFFICE_DEBS in scripts/_setup.sh)."""
    found = shutil.which("soffice")
    assert found, "LibreOffice is needed: apt-get install libreoffice-writer-nogui " \
                  "libreoffice-calc-nogui (scripts/test does it)"
    return found


def docx_with_linked_image(text: str, image_url: str) -> bytes:
    """A real DOCX (python-docx) with a paragraph and a picture linked, not embedded, from
    `image_url`: LibreOffice would fetch it while converting, unless it is kept from it."""
    import docx

    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, "PNG")
    document = docx.Document()
    document.add_paragraph(text)
    document.add_picture(io.BytesIO(png.getvalue()))
    out = io.BytesIO()
    document.save(out)
    parts = {}
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        for info in archive.infolist():
            parts[info.filename] = archive.read(info)
    parts["word/document.xml"] = re.sub(rb'r:embed="(rId\d+)"', rb'r:link="\1"',
                                        parts["word/document.xml"])
    rels = "word/_rels/document.xml.rels"
    parts[rels] = re.sub(rb'Target="media/[^"]+"', f'Target="{image_url}" TargetMode="External"'
                         .encode(), parts[rels])
    linked = io.BytesIO()
    with zipfile.ZipFile(linked, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if not name.startswith("word/media/"):
                archive.writestr(name, content)
    return linked.getvalue()


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith('.pdf"')
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def _effective(s, revision_id: int) -> None:
    assert s.author.post(s.url(revision_id, "submit")).status_code == 302
    assert s.coordinator.post(s.url(revision_id, "sign"), data={
        "meaning": "approved", "password": PASSWORD}).status_code == 302
    assert s.latest() == (revision_id, "effective")


def _page(client, document_id: int) -> str:
    return html.unescape(client.get(f"/documents/{document_id}").get_data(as_text=True))


def test_a_docx_is_copied_as_stamped_pdfs_made_from_its_rendition(app, make, login, soffice,
                                                                  trap):
    app.config["OFFICE_RENDERER"] = soffice
    hits, _token, _items = trap
    s = Setup(app, make, login)
    original = docx_with_linked_image(DOCX_TEXT, f"{_trap_base(trap)}/logo.png")
    response = s.upload(content=original, filename="quy-trinh.docx")
    assert response.status_code == 302, response.get_data(as_text=True)
    first, _status = s.latest()
    page = _page(s.author, s.doc_id)
    assert "Copies are stamped PDFs made from this DOCX file." in page
    assert "converter" not in page
    # The linked picture was not fetched: no request reached the address it names.
    assert hits == []
    _effective(s, first)

    copy = _pdf_text(s.staff.get(s.url(first, "download")))
    assert DOCX_TEXT in copy
    with app.app_context():
        document = db.session.get(Document, s.doc_id)
        code, rendition = document.code, db.session.get(Revision, first).rendition
        assert rendition is not None
        held = references(db.session, db.metadata)[rendition.blob_sha256]
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "revision.create")).one()
    assert held == [f"rendition {rendition.id}"]  # the storage check and the backup see it
    assert json.loads(event.after_json)["rendition_sha256"] == rendition.blob_sha256
    assert f"{code} · revision 01 · Effective" in copy
    assert f"Issued to {s.staff_user.name}" in copy and "UNCONTROLLED WHEN PRINTED" in copy

    # The original stays the revision's file, for those who may fetch originals.
    kept = s.coordinator.get(s.url(first, "original"))
    assert (kept.status_code, kept.mimetype, kept.data) == (200, DOCX_TYPE, original)
    assert s.staff.get(s.url(first, "original")).status_code == 403

    # The public register's information copy is a stamped PDF too.
    with app.app_context(), write_intent():
        db.session.get(Document, s.doc_id).is_public = True
        db.session.commit()
    public = _pdf_text(app.test_client().get(f"/public/{code}",
                                             headers={"Accept-Language": "en"}))
    assert DOCX_TEXT in public and "Public information copy" in public

    # A PDF replaces it: the DOCX revision's copies now say it is superseded.
    assert s.upload(content=pdf_bytes("Quy trình sửa đổi"), summary="Sửa đổi").status_code \
        == 302
    second, _status = s.latest()
    _effective(s, second)
    superseded = _pdf_text(s.coordinator.get(s.url(first, "download")))
    assert DOCX_TEXT in superseded
    assert "SUPERSEDED — NOT FOR USE" in superseded and "revision 01 · Superseded" in superseded
    assert hits == []


def _trap_base(trap) -> str:
    """The trap server's address, as its corpus names it."""
    _hits, _token, items = trap
    return re.search(r"http://127\.0\.0\.1:\d+", items[0][1]).group(0)


def test_an_xlsx_converts_too(soffice):
    pdf = convert.convert_limited("xlsx", xlsx("Sổ theo dõi hồ sơ đến"), soffice)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Sổ theo dõi hồ sơ đến" in text


def _running_in(folder: Path) -> list[str]:
    """Live processes (not zombies) whose command line names the folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(folder) in command and state != "Z":
            found.append(command)
    return found


# LibreOffice's time limit, not the data: on SQLite alone.
@pytest.mark.one_database
def test_a_conversion_past_its_time_limit_is_refused_at_the_file_field(app, make, login,
                                                                       soffice, tmp_path,
                                                                       monkeypatch):
    s = Setup(app, make, login)
    # A first upload (a PDF) leaves a render child ready, so the limit below is spent on
    # LibreOffice itself, which needs longer than that to start.
    assert s.upload(content=pdf_bytes()).status_code == 302
    app.config.update(OFFICE_RENDERER=soffice, OFFICE_TIME_LIMIT=0.8)
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))  # where the run's folder is made
    with app.app_context():
        before = db.session.scalars(select(Revision.blob_sha256)).all()

    response = s.upload(content=docx_with_linked_image(DOCX_TEXT, "http://127.0.0.1:9/x"),
                        filename="quy-trinh.docx", summary="Bản sửa đổi có bảng biểu")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "took longer than the limit of 0.8 seconds" in field_html(page, "file")
    assert "Bản sửa đổi có bảng biểu" in page
    with app.app_context():
        assert db.session.scalars(select(Revision.blob_sha256)).all() == before
        assert db.session.scalar(select(Rendition.id)) is None
    # LibreOffice was killed with its process group, and its folder removed.
    assert _running_in(work) == []
    assert os.listdir(work) == []


def test_without_a_converter_the_page_says_so_and_copies_are_the_original(app, make, login,
                                                                          tmp_path, runner,
                                                                          soffice):
    app.config["OFFICE_RENDERER"] = str(tmp_path / "missing" / "soffice")
    s = Setup(app, make, login)
    original = docx_with_linked_image(DOCX_TEXT, "http://127.0.0.1:9/x")
    response = s.upload(content=original, filename="quy-trinh.docx")
    assert response.status_code == 302
    page = _page(s.author, s.doc_id)
    assert "no converter for office files (LibreOffice), so no PDF copy of this DOCX" in page
    revision, _status = s.latest()
    _effective(s, revision)

    page = _page(s.staff, s.doc_id)
    assert "The server has no converter for office files (LibreOffice)" in page
    assert "No PDF copy of this DOCX file: its copies are the original file" in page
    copy = s.staff.get(s.url(revision, "download"))
    assert (copy.status_code, copy.mimetype, copy.data) == (200, DOCX_TYPE, original)
    warned = _page(s.staff, s.doc_id)
    assert "revision 01 is the original DOCX file, without the controlled-copy stamp" in warned
    assert "ask the administrator to install the converter" in warned
    with app.app_context():
        assert get_store().exists(db.session.get(Revision, revision).blob_sha256)
        assert db.session.scalar(select(Rendition.id)) is None
    refused = runner.invoke(args=["documents", "make-renditions"])
    assert refused.exit_code == 1 and "no converter is installed" in refused.output

    # Once LibreOffice is installed, the administrator's command makes the missing PDF.
    app.config["OFFICE_RENDERER"] = soffice
    result = runner.invoke(args=["documents", "make-renditions"])
    assert result.exit_code == 0, result.output
    assert "1 of 1 office file(s) made into PDF." in result.output
    page = _page(s.staff, s.doc_id)
    assert "converter" not in page and "No PDF copy" not in page
    stamped = _pdf_text(s.staff.get(s.url(revision, "download")))
    assert DOCX_TEXT in stamped and "UNCONTROLLED WHEN PRINTED" in stamped
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.after_json).where(
            AuditEvent.action == "revision.rendition")) is not None
    assert runner.invoke(args=["documents", "make-renditions"]).output.strip() \
        == "0 of 0 office file(s) made into PDF."
