"""The registers: a column sort from each register's own keys (aria-sort on the header), the
filters each person used last re-applied until cleared, and due dates marked in words."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from compliance.core import clock
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.core.registers import Sort, sort_from
from compliance.documents.models import Document
from tests.conftest import pdf_rendered_in_process
from tests.documents.helpers import blank_pdf, document_target


def test_a_sort_is_one_of_the_registers_keys_or_the_default():
    assert sort_from("-code", ("code", "title"), "code") == Sort("code", True)
    assert sort_from("title); DROP TABLE user;--", ("code", "title"), "code") == Sort("code")
    assert sort_from(None, ("age",), "-age") == Sort("age", True)
    assert Sort("code").param("code") == "-code" and Sort("code", True).param("code") == "code"
    assert Sort("code").aria("title") is None and Sort("code", True).aria("code") == "descending"


def _codes(page: str) -> list[str]:
    return re.findall(r"<code>([^<]+)</code></a></td>", page)


def _review(app, document_id: int, days: int) -> None:
    with app.app_context(), write_intent():
        db.session.get(Document, document_id).next_review_date = clock.today() + \
            timedelta(days=days)
        db.session.commit()


@pytest.mark.one_database
def test_sorting_remembering_and_due_marks_on_the_registers(app, client, make, login):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"], locale="en")
    with pdf_rendered_in_process(rendered=blank_pdf()):
        docs = [document_target(app, dept.id, coordinator.id) for _ in range(3)]
    _review(app, docs[0].document_id, -3)
    _review(app, docs[1].document_id, 10)
    _review(app, docs[2].document_id, 200)
    login(client, coordinator.email)
    codes = sorted(d.code for d in docs)

    page = client.get("/documents/?sort=-code").get_data(as_text=True)
    assert _codes(page) == codes[::-1]
    assert re.search(r'<th scope="col" aria-sort="descending"><a class="sort-link" '
                     r'href="/documents/\?sort=code">Code', page)
    assert page.count("aria-sort=") == 1
    assert "Overdue by 3 days" in page and "Due in 10 days" in page
    assert page.count('data-due="') == 2  # the far review is not marked
    # Back without parameters: the same sort, said so, with a way out.
    page = client.get("/documents/").get_data(as_text=True)
    assert _codes(page) == codes[::-1] and 'data-testid="filters-restored"' in page
    page = client.get("/documents/?clear=1").get_data(as_text=True)
    assert _codes(page) == codes and 'data-testid="filters-restored"' not in page
    assert 'data-testid="filters-restored"' not in client.get("/documents/").get_data(
        as_text=True)
    # Each register remembers its own: the corrective actions' sort leaves documents alone.
    assert client.get("/corrective-actions/?sort=reference").status_code == 200
    page = client.get("/corrective-actions/").get_data(as_text=True)
    assert 'aria-sort="ascending"><a class="sort-link" ' \
        'href="/corrective-actions/?sort=-reference"' in page
    assert _codes(client.get("/documents/").get_data(as_text=True)) == codes
    for url in ("/audits/?sort=-lead", "/measures/?sort=name",
                "/risks/?sort=review&status=open", "/admin/users/?sort=-name&status=active"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'aria-sort="' in response.get_data(as_text=True), url


@pytest.mark.one_database
def test_people_sort_the_vietnamese_way(client, make, login):
    admin = make.user(roles=["admin"], name="Zê Quản Trị", locale="en")
    for name in ("Nguyễn Văn Đức", "Trần Thị Dung", "Lê Văn Ánh"):
        make.user(name=name)
    login(client, admin.email)
    page = client.get("/admin/users/?sort=name").get_data(as_text=True)
    names = re.findall(r'/admin/users/\d+">([^<]+)</a>', page)
    assert names.index("Lê Văn Ánh") < names.index("Trần Thị Dung") < \
        names.index("Nguyễn Văn Đức")
