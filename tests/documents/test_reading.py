"""Reading list, coverage matrix, reviews due and the public register."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import update

from compliance.core import clock
from compliance.core.extensions import db
from compliance.documents.models import Document
from tests.documents.helpers import document_target


def _people(make):
    dept = make.department(code="LDTBXH")
    author = make.user(name="Tác Giả", departments=[(dept.id, "department_head")])
    reader = make.user(name="Người Đọc", departments=[(dept.id, "staff")])
    return dept, author, reader


def test_reading_list_and_coverage_matrix(app, make, login):
    dept, author, reader = _people(make)
    target = document_target(app, dept.id, author.id, readers=[author.id, reader.id])
    client = app.test_client()
    login(client, reader.email)
    row = f"<code>{target.code}</code>"
    assert row in client.get("/documents/to-read").get_data(as_text=True)
    coordinator = app.test_client()
    login(coordinator, make.user(roles=["coordinator"]).email)
    matrix = coordinator.get(f"/documents/coverage?department={dept.id}").get_data(as_text=True)
    assert matrix.count("pending") == 2
    url = f"/documents/{target.document_id}/revisions/{target.revision_id}/acknowledge"
    # The reader opens the copy first (tests/documents/test_opening.py: refused otherwise).
    assert client.get(url.replace("acknowledge", "download")).status_code == 200
    assert client.post(url).status_code == 302
    assert row not in client.get("/documents/to-read").get_data(as_text=True)
    matrix = coordinator.get(f"/documents/coverage?department={dept.id}").get_data(as_text=True)
    assert matrix.count("pending") == 1 and "✔" in matrix


def test_coverage_includes_documents_the_department_is_asked_to_read(app, make, login):
    from compliance.org.models import Department

    dept, author, reader = _people(make)
    elsewhere = make.department(code="VP")
    target = document_target(app, elsewhere.id, author.id, readers=[reader.id])
    with app.app_context():
        document = db.session.get(Document, target.document_id)
        document.reader_departments.append(db.session.get(Department, dept.id))
        db.session.commit()
    coordinator = app.test_client()
    login(coordinator, make.user(roles=["coordinator"]).email)
    matrix = coordinator.get(f"/documents/coverage?department={dept.id}").get_data(as_text=True)
    assert target.code in matrix and "pending" in matrix


def test_reviews_due_lists_overdue_first(app, make, login):
    dept, author, _ = _people(make)
    soon = document_target(app, dept.id, author.id)
    late = document_target(app, dept.id, author.id)
    far = document_target(app, dept.id, author.id)
    today = clock.today()
    with app.app_context():
        for target, days in ((soon, 10), (late, -5), (far, 200)):
            db.session.execute(update(Document).where(Document.id == target.document_id)
                               .values(next_review_date=today + timedelta(days=days)))
        db.session.commit()
    client = app.test_client()
    login(client, author.email)
    page = client.get("/documents/reviews").get_data(as_text=True)
    assert far.code not in page
    assert page.index(late.code) < page.index(soon.code)


def test_public_register_needs_no_sign_in_and_shows_only_public_documents(app, make):
    dept, author, _ = _people(make)
    public = document_target(app, dept.id, author.id, public=True)
    private = document_target(app, dept.id, author.id, public=False)
    draft = document_target(app, dept.id, author.id, state="draft", public=True)
    client = app.test_client()
    page = client.get("/public/").get_data(as_text=True)
    assert public.code in page and private.code not in page and draft.code not in page
    copy = client.get(f"/public/{public.code}")
    assert copy.status_code == 200
    text = PdfReader(io.BytesIO(copy.data)).pages[0].extract_text()
    assert public.code in text
    assert client.get(f"/public/{private.code}").status_code == 404
    with app.app_context():
        from compliance.documents.models import DownloadLog

        log = db.session.scalars(db.select(DownloadLog)).one()
        assert (log.user_id, log.kind, log.revision_id) == (None, "public", public.revision_id)


def test_public_register_finds_by_words_and_department_without_script(app, make, monkeypatch):
    """The register's GET form: words match code or title with tones and case aside, the
    department narrows it, and a long register comes a page of cards at a time."""
    from compliance.public import web

    dept, author, _ = _people(make)
    other = make.department(code="TUPHAP", name_vi="Phòng Tư pháp")
    birth = document_target(app, dept.id, author.id)
    land = document_target(app, other.id, author.id)
    with app.app_context():
        for target, title in ((birth, "Quy trình đăng ký khai sinh"),
                              (land, "Quy trình cấp giấy chứng nhận đất đai")):
            db.session.execute(update(Document).where(Document.id == target.document_id)
                               .values(title_vi=title))
        db.session.commit()
    client = app.test_client()

    def shown(query: str) -> set[str]:
        page = client.get(f"/public/{query}").get_data(as_text=True)
        return {code for code in (birth.code, land.code) if f"<code>{code}</code>" in page}

    assert shown("") == {birth.code, land.code}
    assert shown("?q=khai+SINH") == {birth.code}
    assert shown("?q=dat+dai+quy") == {land.code}
    assert shown(f"?q={land.code.lower()}") == {land.code}
    assert shown(f"?department={other.id}") == {land.code}
    assert shown(f"?department={other.id}&q=khai") == set()
    assert "Phòng Tư pháp" in client.get("/public/").get_data(as_text=True)
    monkeypatch.setattr(web, "PAGE_SIZE", 1)
    first, second = shown(""), shown("?page=2")
    assert len(first) == len(second) == 1 and first != second
    assert shown("?page=abc") == first
    assert client.get("/public/../../etc/passwd").status_code == 404
