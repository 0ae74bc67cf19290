"""Forms that don't guess: new-record selects start with "— choose —", refuse it at the field
with the input kept, edit forms keep the record's value, and people and departments come in
the order a Vietnamese reader expects (core/collation.py); long pickers get type-to-search."""

from __future__ import annotations

import re

from tests.audits.helpers import audit_in_state, cast
from tests.auth.test_form_errors import near
from tests.capa.helpers import ca_in_state
from tests.documents.helpers import create_document
from tests.factories import PASSWORD

NAMES = ["Trần Văn Đức", "Lê Thị Ánh", "Nguyễn Văn An", "Phạm Dũng", "Bùi Đạt", "Võ Hải",
         "Đỗ Thu Hà", "Hoàng Bình", "Lý Giang"]
IN_ORDER = ["Nguyễn Văn An", "Lê Thị Ánh", "Hoàng Bình", "Phạm Dũng", "Bùi Đạt",
            "Trần Văn Đức", "Lý Giang", "Đỗ Thu Hà", "Võ Hải"]


def select_of(page: str, name: str, nth: int = 0) -> str:
    """The markup of the nth select of that name."""
    return re.findall(rf'<select[^>]*name="{name}"[^>]*>.*?</select>', page, re.S)[nth]


def options(select_html: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option."""
    return [(value, label, "selected" in attrs) for attrs, value, label in re.findall(
        r'<option([^>]*?)value="([^"]*)"[^>]*>([^<]*)</option>', select_html)]


def coordinator(client, make, locale: str = "en"):
    user = make.user(roles=["coordinator"], locale=locale, name="Trần Minh Thư")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}) \
        .status_code == 302
    return user


def test_a_new_document_chooses_no_type_department_or_owner(client, make):
    make.department()
    coordinator(client, make)
    page = client.get("/documents/new").get_data(as_text=True)
    for field in ("doc_type", "department_id", "owner_id"):
        found = options(select_of(page, field))
        assert found[0] == ("", "— choose —", True), field
        assert not any(selected for _v, _l, selected in found[1:]), field
        assert re.search(rf'<select[^>]*name="{field}"[^>]*required', page), field


def test_the_empty_choice_is_refused_at_its_field_with_the_input_kept(client, make):
    dept = make.department()
    user = coordinator(client, make)
    response = create_document(client, "", user.id, title_vi="Quy trình giữ lại")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose the department that owns it." in near(page, "department_id")
    assert 'value="Quy trình giữ lại"' in page
    kept = options(select_of(page, "owner_id"))
    assert (str(user.id), "Trần Minh Thư", True) in kept
    assert create_document(client, dept.id, user.id).status_code == 302


def test_an_edit_form_keeps_the_records_department_and_owner(app, client, make):
    make.department(name_en="Another office")
    dept = make.department()
    user = coordinator(client, make)
    response = create_document(client, dept.id, user.id)
    document_url = response.headers["Location"].split("/upload")[0].rstrip("/")
    document_id = re.search(r"/documents/(\d+)", document_url).group(1)
    page = client.get(f"/documents/{document_id}/edit").get_data(as_text=True)
    chosen = [value for value, _l, selected in options(select_of(page, "department_id"))
              if selected]
    assert chosen == [str(dept.id)]
    assert [v for v, _l, s in options(select_of(page, "owner_id")) if s] == [str(user.id)]
    assert [v for v, _l, s in options(select_of(page, "doc_type")) if s] == ["procedure"]


def test_people_are_offered_by_given_name_in_both_languages(client, make):
    make.department()
    for name in NAMES:
        make.user(name=name)
    coordinator(client, make, locale="vi")
    for locale in ("vi", "en"):
        client.post("/language", data={"locale": locale})
        page = client.get("/documents/new").get_data(as_text=True)
        offered = [label for _v, label, _s in options(select_of(page, "owner_id"))
                   if label in NAMES]
        assert offered == IN_ORDER, locale


def test_departments_are_offered_by_name_with_d_before_the_barred_d(client, make):
    for code, vi, en in [("TP", "Phòng Tư pháp", "Justice"), ("DT", "Phòng Dân tộc", "Ethnic"),
                         ("ĐT", "Phòng Đô thị", "Urban"), ("VP", "Văn phòng", "Office")]:
        make.department(code=code, name_vi=vi, name_en=en)
    coordinator(client, make, locale="vi")
    page = client.get("/documents/new").get_data(as_text=True)
    labels = [label for _v, label, _s in options(select_of(page, "department_id"))][1:]
    assert labels == ["Phòng Dân tộc (DT)", "Phòng Đô thị (ĐT)", "Phòng Tư pháp (TP)",
                      "Văn phòng (VP)"]
    assert "— chọn —" in select_of(page, "department_id")


def test_a_new_action_names_no_owner_not_even_another_departments_head(app, client, make,
                                                                         login):
    people = cast(make)
    # Alphabetically first: the owner the form used to offer ready chosen.
    make.user(name="Âu An", departments=[(people.other.id, "department_head")])
    ca = ca_in_state(app, people.dept.id, "analysed", coordinator_id=people.coordinator.id,
                     owner_id=people.head.id)
    login(client, people.head.email)
    page = client.get(f"/corrective-actions/{ca.ca_id}").get_data(as_text=True)
    owner = options(select_of(page, "owner_id"))
    assert owner[0] == ("", "— choose —", True)
    assert not any(selected for _v, _l, selected in owner[1:])
    response = client.post(f"/corrective-actions/{ca.ca_id}/actions", data={
        "description": "Rà soát quy trình", "owner_id": "", "due_on": "2027-01-15"})
    assert response.status_code == 400
    assert "Choose who owns this action." in response.get_data(as_text=True)
    assert "Rà soát quy trình" in response.get_data(as_text=True)


def test_a_new_corrective_action_refuses_an_empty_department_and_grade(client, make, login):
    people = cast(make)
    login(client, people.coordinator.email)
    page = client.get("/corrective-actions/new").get_data(as_text=True)
    for field in ("source", "department_id", "grade"):
        assert options(select_of(page, field))[0] == ("", "— choose —", True), field
    response = client.post("/corrective-actions/new", data={
        "source": "complaint", "department_id": "", "grade": "", "problem": "Giữ lại"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose one of your departments." in near(page, "department_id")
    assert "Choose the grade." in near(page, "grade")
    assert "Giữ lại" in page
    assert ("complaint", "Complaint", True) in options(select_of(page, "source"))


def test_people_and_clause_pickers_carry_type_to_search(client, make):
    make.department()
    coordinator(client, make)
    page = client.get("/documents/new").get_data(as_text=True)
    for field in ("owner_id", "clause_ids"):
        assert 'data-filter="Type to filter the list"' in select_of(page, field), field
    assert re.search(r'<script src="/assets/[0-9a-f]+/pickers.js"></script>', page)


def test_ratings_direction_result_and_language_start_on_choose(app, client, make, login):
    # Item 16's leftovers: none of these selects starts on a value any more; a required one
    # refuses the empty choice at the field, with what was typed kept.
    make.department()
    user = make.user(roles=["admin", "coordinator"], locale="en")
    login(client, user.email)
    for url, fields in (("/risks/new", ("likelihood", "impact")),
                        ("/objectives/new", ("direction",)),
                        ("/admin/users/new", ("locale",))):
        page = client.get(url).get_data(as_text=True)
        for field in fields:
            found = options(select_of(page, field))
            assert found[0] == ("", "— choose —", True), (url, field)
            assert not any(selected for _v, _l, selected in found[1:]), (url, field)
    refused = client.post("/admin/users/new", data={
        "email": "lan@example.com", "name": "Nguyễn Thị Lan", "locale": "",
        "password": "a-long-password-2026"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Choose the language the person reads the pages in." in near(page, "locale")
    assert 'value="Nguyễn Thị Lan"' in page
    people = cast(make)
    ids = audit_in_state(app, people, "in_progress")
    login(client, people.lead.email)
    page = client.get(f"/audits/{ids.audit_id}/").get_data(as_text=True)
    assert options(select_of(page, "result"))[0] == ("", "— choose —", True)
