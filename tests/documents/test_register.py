"""The register: filters, full-text search, keyset pages, capped counts and exports."""

from __future__ import annotations

import csv
import html
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.documents import services
from compliance.documents.models import Document


def _seed(app, make, count=120):
    dept = make.department(code="TNMT")
    other = make.department(code="KTHT")
    owner = make.user(roles=["coordinator"])
    with app.app_context(), write_intent():
        from compliance.auth.models import User

        actor = db.session.get(User, owner.id)
        for n in range(count):
            services.create_document(
                actor, doc_type="procedure" if n % 2 else "form",
                department_id=dept.id if n % 3 else other.id, owner_id=owner.id,
                title_vi=f"Quy trình cấp phép số {n}" if n != 7 else "Đất đai và môi trường",
                title_en=f"Permit procedure {n}", review_interval_months=12)
        db.session.commit()
    return dept, other, owner


def _codes(page_html: str) -> list[str]:
    return re.findall(r"<code>([A-Z]{2}-[A-Z]+-\d+)</code>", page_html)


def test_keyset_pages_walk_the_whole_register_once(app, make, login, client):
    _, _, owner = _seed(app, make)
    login(client, owner.email)
    seen, url = [], "/documents/?sort=code"
    while url:
        page = client.get(url).get_data(as_text=True)
        seen.extend(_codes(page))
        import re

        found = re.search(r'href="(/documents/\?[^"]*after=[^"]+)"', page)
        url = found.group(1).replace("&amp;", "&") if found else None
    with app.app_context():
        expected = db.session.scalars(select(Document.code).order_by(Document.code)).all()
    assert seen == list(expected)


def test_filters_and_search(app, make, login, client):
    dept, other, owner = _seed(app, make, count=30)
    login(client, owner.email)
    forms = _codes(client.get(f"/documents/?type=form&department={other.id}").get_data(
        as_text=True))
    assert forms and all(code.startswith("BM-KTHT-") for code in forms)
    mine = _codes(client.get(f"/documents/?owner={owner.id}").get_data(as_text=True))
    assert len(mine) == 30
    assert _codes(client.get(f"/documents/?owner={owner.id + 999}").get_data(as_text=True)) == []
    found = _codes(client.get("/documents/?q=dat+dai").get_data(as_text=True))
    assert len(found) == 1
    assert _codes(client.get("/documents/?q=Đất").get_data(as_text=True)) == found
    assert _codes(client.get("/documents/?q=QT-TNMT").get_data(as_text=True))
    # Only punctuation: no words, so nothing listed (see below), and certainly no error.
    assert client.get('/documents/?q="%29%28*:^').status_code == 200
    assert client.get("/documents/?q=" + "x" * 5000).status_code == 200
    assert client.get("/documents/?after=not-a-cursor&sort=review").status_code == 200


def test_a_search_without_words_lists_nothing_and_says_so(app, make, login, client):
    _seed(app, make, count=3)
    login(client, make.user(roles=["coordinator"]).email)
    assert len(_codes(client.get("/documents/").get_data(as_text=True))) == 3
    for typed in ("%%%", '"', "-", "*", "_", "—", '"()*:^', "📄"):
        response = client.get("/documents/", query_string={"q": typed})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert _codes(page) == [], typed
        # The register's own box, not the navigation bar's search box above it.
        filters = page.index("register-filters")
        at_box = page[page.index('name="q"', filters):page.index('name="department"')]
        assert html.unescape(re.search(r'value="([^"]*)"', at_box)[1]) == typed
        assert "The search has no words in it" in at_box, typed
        assert "0 documents" in page
    exported = client.get("/documents/export.csv", query_string={"q": "%%%"})
    assert len(list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))) == 1
    # A word among the punctuation is a search like any other, and no message.
    page = client.get("/documents/", query_string={"q": '"Đất" -- %%%'}).get_data(as_text=True)
    assert len(_codes(page)) == 0 and "The search has no words in it" not in page
    page = client.get("/documents/", query_string={"q": "*cấp* %%%"}).get_data(as_text=True)
    assert len(_codes(page)) == 3 and "The search has no words in it" not in page


def test_count_is_capped(app, make, login, client):
    from compliance.documents import queries

    _, _, owner = _seed(app, make, count=12)
    login(client, owner.email)
    queries.COUNT_CAP, old = 10, queries.COUNT_CAP
    try:
        assert "10+" in client.get("/documents/").get_data(as_text=True)
    finally:
        queries.COUNT_CAP = old


def test_exports_follow_the_filter(app, make, login, client):
    _, other, owner = _seed(app, make, count=9)
    login(client, owner.email)
    response = client.get(f"/documents/export.csv?department={other.id}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3
    assert all(row[2] == "KTHT" for row in rows[1:])
    xlsx = client.get("/documents/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 1 + 9


def test_staff_see_what_is_in_force_in_their_department_or_asked_of_them(
        app, make, login, client):
    from sqlalchemy import update

    from compliance.documents.models import document_reader_department
    from compliance.org.models import Department

    dept, other, _ = _seed(app, make, count=9)
    with app.app_context():
        # Drafts stay hidden from staff; two of their department's documents come into force.
        mine = db.session.scalars(select(Document.id).where(
            Document.department_id == dept.id).order_by(Document.id)).all()
        db.session.execute(update(Document).where(Document.id.in_(mine[:2]))
                           .values(status="effective"))
        theirs = db.session.scalars(select(Document).where(
            Document.department_id == other.id)).first()
        theirs.status = "effective"
        theirs.reader_departments.append(db.session.get(Department, dept.id))
        shared_code = theirs.code
        db.session.commit()
    assert document_reader_department is not None
    staff = make.user(departments=[(dept.id, "staff")])
    login(client, staff.email)
    codes = _codes(client.get("/documents/").get_data(as_text=True))
    assert len(codes) == 3 and shared_code in codes
    assert all("-TNMT-" in c for c in codes if c != shared_code)
    with app.app_context():
        foreign = db.session.scalar(select(Document.id).where(
            Document.department_id == other.id, Document.code != shared_code))
    assert client.get(f"/documents/{foreign}").status_code == 403
