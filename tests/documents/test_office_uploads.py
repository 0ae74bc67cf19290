"""Office files are judged by opening them: hostile ones are refused at the file field with
what was found, good ones are accepted with their text, and an uploader whose file gives no
text is told that the document cannot be found by its content."""

from __future__ import annotations

import html
import logging
import random
import string
from pathlib import Path

from sqlalchemy import func, select

from compliance.core import office
from compliance.core.extensions import db
from compliance.documents import text
from compliance.documents.models import Revision
from tests import office_files
from tests.documents.test_forms import field_html
from tests.documents.test_rules import Setup
from tests.documents.test_uploads import _files

NOT_FINDABLE = "No text could be read from this file, so a search will not find the document"


def _revisions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Revision))


def _refused_at_file(response, words: str) -> bool:
    page = html.unescape(response.get_data(as_text=True))
    return response.status_code == 415 and 'name="file"' in page \
        and words in field_html(page, "file")


def test_hostile_office_files_are_refused_at_the_file_field_naming_what_was_found(
        app, make, login, monkeypatch):
    s = Setup(app, make, login)
    storage = Path(app.config["STORAGE_PATH"])
    stored_before = _files(storage)
    wrong = []
    for case, (content, words) in office_files.hostile().items():
        if not _refused_at_file(s.upload(content=content, filename=f"{case}.docx"), words):
            wrong.append(case)
    # The real bounds are 10,000 parts and 64 MB per XML part; lower ones keep the cases small.
    monkeypatch.setattr(office, "MAX_PARTS", 8)
    many = {f"word/media/image{n}.png": b"" for n in range(4)}
    response = s.upload(content=office_files.changed(office_files.docx(), many))
    if not _refused_at_file(response, "too many parts (9, at most 8)"):
        wrong.append("too many parts")
    monkeypatch.setattr(office, "MAX_XML_PART", 100_000)
    noise = random.Random(12).choices(string.ascii_letters, k=120_000)
    big = office_files.docx("".join(noise))  # not compressible: not a bomb, only large
    if not _refused_at_file(s.upload(content=big), "too large to open (word/document.xml,"):
        wrong.append("part too large")
    assert wrong == []
    assert _files(storage) == stored_before
    assert _revisions(app) == 0


def test_real_office_files_are_accepted_with_their_text(app, make, login):
    s = Setup(app, make, login)
    cases = {"huong-dan.docx": (office_files.docx(hyperlink=True), "docx", "Hướng dẫn công việc"),
             "so.xlsx": (office_files.xlsx(), "xlsx", "Sổ theo dõi hồ sơ"),
             "quy-trinh.odt": (office_files.odf(), "odt", "Quy trình tiếp nhận hồ sơ"),
             "bang-ke.ods": (office_files.odf(office_files.ODS_MIME), "ods", "Bảng kê")}
    for filename, (content, kind, words) in cases.items():
        response = s.upload(content=content, filename=filename)
        assert response.status_code == 302, filename
        with app.app_context():
            revision = db.session.scalars(select(Revision)).one()
            assert (revision.file_kind, revision.text_content) == (kind, words)
    assert NOT_FINDABLE not in s.author.get(response.location).get_data(as_text=True)


def test_a_file_without_text_is_accepted_and_the_uploader_is_told(app, make, login):
    s = Setup(app, make, login)
    response = s.upload(content=office_files.docx(""), filename="trong.docx")
    assert response.status_code == 302
    page = html.unescape(s.author.get(response.location).get_data(as_text=True))
    assert "Draft uploaded." in page
    assert NOT_FINDABLE in page and "only by its code and title" in page
    with app.app_context():
        assert db.session.scalars(select(Revision)).one().text_content == ""


def test_a_text_extraction_failure_is_one_logged_line_not_a_traceback(caplog):
    with caplog.at_level(logging.WARNING, logger="compliance.documents.text"):
        assert text.extract("odt", b"PK\x03\x04 not a zip") == ""
    [record] = caplog.records
    assert record.exc_info is None
    assert "no text could be read from an uploaded odt file: BadZipFile" in record.getMessage()
