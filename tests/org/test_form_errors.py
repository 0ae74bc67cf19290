"""A refused department or process form comes back with the message at its field, input kept."""

from __future__ import annotations

from tests.auth.test_form_errors import near


def _department(**change) -> dict:
    return {"code": "TCKH", "name_vi": "Phòng Tài chính", "name_en": "Finance Office",
            "parent_id": "0", **change}


def test_a_bad_code_is_shown_at_the_code_with_the_names_kept(client, as_role):
    as_role("admin")
    response = client.post("/departments/new", data=_department(code="bad code!"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "A code is 1 to 32 capital letters" in near(page, "code")
    assert 'value="Phòng Tài chính"' in page and 'value="bad code!"' in page


def test_a_taken_code_is_shown_at_the_code(client, make, as_role):
    make.department(code="TCKH")
    as_role("admin")
    response = client.post("/departments/new", data=_department(name_en="Second"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "already used" in near(page, "code") and 'value="Second"' in page


def test_a_loop_of_parents_is_shown_at_the_parent(client, make, as_role):
    dept = make.department(code="A")
    as_role("admin")
    response = client.post(f"/departments/{dept.id}/edit", data=_department(
        code="A", parent_id=str(dept.id), version="1", name_en="Kept"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "cannot be placed under itself" in near(page, "parent_id")
    assert 'value="Kept"' in page


def test_an_impossible_certificate_date_says_the_date_is_not_valid(client, as_role):
    as_role("admin")
    response = client.post("/departments/new",
                           data=_department(certificate_expires_on="2026-02-31"))
    assert response.status_code == 400
    assert "Not a valid date" in near(response.get_data(as_text=True), "certificate_expires_on")


def test_a_process_with_a_taken_code_keeps_its_input(client, make, as_role):
    dept = make.department()
    make.process(dept.id, code="P-1")
    as_role("coordinator")
    response = client.post("/processes/new", data={
        "code": "P-1", "name_vi": "Quy trình", "name_en": "Kept process",
        "department_id": dept.id, "owner_id": "0", "kind": "ordinary", "inputs": "Hồ sơ",
        "outputs": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already used" in near(page, "code")
    assert 'value="Kept process"' in page and "Hồ sơ" in page


def test_a_process_without_a_known_owner_names_the_owner_field(client, make, as_role):
    dept = make.department()
    as_role("coordinator")
    response = client.post("/processes/new", data={
        "code": "P-2", "name_vi": "Quy trình", "name_en": "Process",
        "department_id": dept.id, "owner_id": "99999"})
    assert response.status_code == 400
    assert "Not a valid choice" in near(response.get_data(as_text=True), "owner_id")
