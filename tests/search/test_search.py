"""The search box: every kind of record, grouped and counted, found without accents, each
kind as its domain's visible_* rule allows: a record a role may not see never appears."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from compliance.audits.models import Audit, Finding
from compliance.capa.models import CorrectiveAction
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.documents.search import index_document
from compliance.org.models import Process
from compliance.search.queries import matches
from tests.audits.helpers import audit_target
from tests.capa.helpers import ca_target
from tests.conftest import pdf_rendered_in_process
from tests.documents.helpers import blank_pdf, document_target


def test_matching_ignores_accents_and_takes_words_as_prefixes():
    assert matches(["phong", "tu", "phap"], "Phòng Tư pháp")
    assert matches(["dat"], "Đất đai")
    assert not matches(["tu", "phap"], "Phòng Tài chính")
    assert not matches(["phap"], "Quy trình", None)


def _name(app, dept_id: int, key: str) -> None:
    """Every record of a department named with its key (KHOA / KHOB) and "Tư pháp"."""
    words = f"Tư pháp {key}"
    with app.app_context(), write_intent():
        db.session.execute(update(Process).where(Process.department_id == dept_id)
                           .values(name_vi=f"Quy trình {words}"))
        db.session.execute(update(CorrectiveAction).where(
            CorrectiveAction.department_id == dept_id).values(problem=f"Hồ sơ {words} thiếu"))
        audit_ids = db.session.scalars(db.select(Audit.id).where(Audit.department_id == dept_id))
        db.session.execute(update(Audit).where(Audit.department_id == dept_id)
                           .values(scope_note=f"Phạm vi {words}"))
        db.session.execute(update(Finding).where(Finding.audit_id.in_(list(audit_ids)))
                           .values(description=f"Sổ {words} chưa ký"))
        for document in db.session.scalars(db.select(Document).where(
                Document.department_id == dept_id)):
            document.title_vi = f"Quy định {words}"
            index_document(document)
        db.session.commit()


def _found(page: str) -> dict[str, str]:
    """Each group's HTML by kind."""
    return dict(re.findall(r'data-testid="found-(\w+)">(.*?)</section>', page, re.S))


@pytest.mark.one_database
def test_each_role_finds_only_what_it_may_see(app, client, make, login):
    own, other = make.department(), make.department()
    head = make.user(departments=[(own.id, "department_head")], locale="vi",
                     name="Trần Tư Pháp KHOA")
    staff = make.user(departments=[(own.id, "staff")], locale="vi")
    coordinator = make.user(roles=["coordinator"], locale="vi")
    auditor = make.user(roles=["auditor"], locale="vi")
    admin = make.user(roles=["admin"], locale="vi")
    with pdf_rendered_in_process(rendered=blank_pdf()):
        for dept in (own, other):
            make.process(dept.id)
            document_target(app, dept.id, head.id)
            audit_target(app, make, dept.id, "in_progress")
            ca_target(app, make, dept.id, "open")
    _name(app, own.id, "KHOA")
    _name(app, other.id, "KHOB")
    every = {"document", "audit", "finding", "corrective_action", "process"}
    expected = (  # who, the kinds where the other department's record shows, people shown
        (coordinator, every, True), (admin, every, True), (auditor, every, True),
        (head, {"document", "process"}, True), (staff, set(), False))
    for who, everywhere, people in expected:
        client.post("/logout")
        login(client, who.email)
        page = client.get("/search?q=tu+phap").get_data(as_text=True)
        groups = _found(page)
        for kind in ("document", "audit", "finding", "corrective_action", "process"):
            shows_other = "KHOB" in groups.get(kind, "")
            assert shows_other == (kind in everywhere), (who.email, kind)
        assert ("found-person" in page) == people, who.email
        if people:
            assert "Trần Tư Pháp KHOA" in groups["person"]
    # Without accents, and as the navigation bar's form sends it; a head finds the own
    # department's corrective action, audit and process and opens it.
    page = client.get("/search?q=TU PHAP khoa").get_data(as_text=True)
    assert "KHOA" in _found(page)["document"]
    client.post("/logout")
    login(client, head.email)
    groups = _found(client.get("/search?q=phap+khoa").get_data(as_text=True))
    assert set(groups) == {"document", "audit", "finding", "corrective_action", "process",
                           "person"}
    link = re.search(r'href="(/corrective-actions/\d+)"', groups["corrective_action"]).group(1)
    assert client.get(link).status_code == 200
    link = re.search(r'href="(/audits/\d+/#finding-\d+)"', groups["finding"]).group(1)
    assert client.get(link.split("#")[0]).status_code == 200


def test_an_empty_or_wordless_search_says_so(client, make, login):
    login(client, make.user(locale="en").email)
    assert "Accents may be left out" in client.get("/search").get_data(as_text=True)
    page = client.get("/search?q=%25%25%25").get_data(as_text=True)
    assert 'data-testid="search-no-words"' in page
    page = client.get("/search?q=" + "x" * 5000)
    assert page.status_code == 200
