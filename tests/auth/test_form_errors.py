"""A refused account form comes back with the message at its field and the input kept."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD


def near(page: str, field_id: str) -> str:
    """The markup from a field's element to the next field's: where its message must be. On a
    page of several forms the ids carry the form's number (core.forms.distinct_ids)."""
    start = re.search(r'id="(?:form\d+-)?' + re.escape(field_id) + '"', page).start()
    following = re.search(r'\sid="(?!(?:form\d+-)?' + re.escape(field_id) + r'[-"])',
                          page[start + 5:])
    return page[start:start + 5 + (following.start() if following else len(page))]


@pytest.fixture
def admin(client, make, login):
    user = make.user(roles=["admin"], email="admin@example.com", name="Admin")
    assert login(client, user.email).status_code == 302
    return user


def test_a_bad_address_stays_in_the_form_with_its_message(client, admin):
    response = client.post("/admin/users/new", data={
        "email": "not-an-address", "name": "Nguyễn Văn Bình", "locale": "en",
        "password": "a long passphrase"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Invalid email" in near(page, "email")
    assert 'value="not-an-address"' in page and 'value="Nguyễn Văn Bình"' in page


def test_a_taken_address_on_create_is_a_400_at_the_email_field(client, make, admin):
    make.user(email="taken@example.com")
    response = client.post("/admin/users/new", data={
        "email": "taken@example.com", "name": "Lan", "locale": "vi",
        "password": "a long passphrase"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already exists" in near(page, "email") and 'value="Lan"' in page


def test_removing_ones_own_admin_role_is_shown_at_the_roles(client, admin):
    response = client.post(f"/admin/users/{admin.id}/edit", data={
        "email": admin.email, "name": "Admin Renamed", "locale": "en",
        "roles": ["coordinator"], "version": 1})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    roles = page[page.index("<legend"):page.index("</fieldset>")]
    assert "cannot remove your own administrator role" in roles
    assert 'value="Admin Renamed"' in page


def test_a_refused_membership_shows_the_users_page_with_the_message(client, make, admin):
    dept = make.department(code="TP")
    user = make.user(name="Hạnh")
    response = client.post(f"/admin/users/{user.id}/memberships",
                           data={"department_id": dept.id, "role": "admin"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Hạnh" in page and "Choose the role in the department." in near(page, "role")
    unknown = client.post(f"/admin/users/{user.id}/memberships",
                          data={"department_id": 99999, "role": "staff"})
    assert unknown.status_code == 400
    assert "Choose the department." in near(unknown.get_data(as_text=True), "department_id")
    # The empty first option is no choice: refused at the field, the role kept.
    empty = client.post(f"/admin/users/{user.id}/memberships",
                        data={"department_id": "", "role": "department_head"})
    assert empty.status_code == 400
    assert "Choose the department." in near(empty.get_data(as_text=True), "department_id")
    assert '<option selected value="department_head">' in empty.get_data(as_text=True)


def test_a_weak_reset_password_is_shown_at_the_password_field(client, make, admin):
    user = make.user(name="Cường")
    for password, text in (("short", "at least 10 characters"),
                           ("aaaaaaaaaaaa", "too simple"), ("", "This field is required")):
        response = client.post(f"/admin/users/{user.id}/password", data={"password": password})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, password
        assert text in near(page, "password") and "Cường" in page


def test_the_account_page_puts_each_refusal_at_its_field(client, make, login):
    user = make.user()
    login(client, user.email)
    wrong = client.post("/account", data={"current": "not it", "new": "a long passphrase",
                                          "confirm": "a long passphrase"})
    assert wrong.status_code == 400
    assert "current password is not correct" in near(wrong.get_data(as_text=True), "current")
    weak = client.post("/account", data={"current": PASSWORD, "new": "short 1",
                                         "confirm": "short 1"})
    assert weak.status_code == 400
    assert "at least 10 characters" in near(weak.get_data(as_text=True), "new")
    differ = client.post("/account", data={"current": PASSWORD, "new": "a long passphrase",
                                           "confirm": "another passphrase"})
    assert differ.status_code == 400
    assert "passwords differ" in near(differ.get_data(as_text=True), "confirm")


def test_a_stale_user_edit_keeps_its_conflict_page(client, make, admin):
    user = make.user(email="hoa@example.com")
    form = {"email": "hoa@example.com", "name": "Hoa", "locale": "en"}
    url = f"/admin/users/{user.id}/edit"
    assert client.post(url, data={**form, "version": 1}).status_code == 302
    stale = client.post(url, data={**form, "version": 1})
    assert stale.status_code == 409 and 'name="email"' not in stale.get_data(as_text=True)
