"""A user changes their own password on the account page."""

from __future__ import annotations

import pytest

from tests.auth.test_admin_users import events, field_error
from tests.factories import PASSWORD

NEW_PASSWORD = "my own new passphrase"


@pytest.fixture
def user(client, make, login):
    """The test client signed in as an ordinary member of staff."""
    person = make.user_with_role("staff")
    assert login(client, person.email).status_code == 302
    return person


def test_account_page_shows_the_user(client, user):
    page = client.get("/account").get_data(as_text=True)
    assert user.email in page and user.name in page


@pytest.mark.parametrize("form, field, text", [
    ({"current": "not my password", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
     "current", "current password is not correct"),
    ({"current": PASSWORD, "new": NEW_PASSWORD, "confirm": "something else entirely"},
     "confirm", "The passwords differ"),
    ({"current": PASSWORD, "new": "short 1", "confirm": "short 1"},
     "new", "at least 10 characters"),
    ({"current": PASSWORD, "new": "", "confirm": ""}, "new", "required"),
])
def test_a_refused_change_shows_why_and_keeps_the_password(app, client, user, login, form,
                                                          field, text):
    response = client.post("/account", data=form)
    assert response.status_code == 400
    assert text in (field_error(response.get_data(as_text=True), field) or "")
    assert login(app.test_client(), user.email, PASSWORD).status_code == 302
    assert events(app, "user.password") == []


def test_a_changed_password_is_the_one_that_works(app, client, user, login):
    response = client.post("/account", data={"current": PASSWORD, "new": NEW_PASSWORD,
                                             "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    assert "Your password has been changed." in client.get("/account").get_data(as_text=True)
    assert login(app.test_client(), user.email, PASSWORD).status_code == 401
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    [change] = events(app, "user.password")
    assert (change.action, change.entity_id, change.actor_id) == (
        "user.password_change", str(user.id), user.id)
