"""Redirect targets that come from the visitor (?next= on sign-in, the language switch's
`next`, a notification's stored link) go through one check: a plain path on this site, or
the home page (issue 12, item 5)."""

from __future__ import annotations

import pytest

from compliance.core.extensions import db
from compliance.core.http import local_target
from compliance.notifications.models import Notification
from tests.factories import PASSWORD
from tests.notifications.helpers import notification_for

# Where a redirect may go: decided before the database is read.
pytestmark = pytest.mark.one_database

# Each would leave the site, split the Location header, or reach a browser that reads it as
# another host; every one falls back to the home page.
UNSAFE = [
    "/\r\nX:1", "/\nSet-Cookie: stolen=1", "/\rX:1", "/documents/\x00", "/a\x7fb", "/a\x85b",
    "/a\u2028b", "/a\u202eb", "/\t/evil.example", "/\\evil.example/", "/a\\b", "\\\\evil.example",
    "//evil.example/", "https://evil.example/", "javascript:alert(1)", "http:/evil.example",
    "evil.example", "",
]
SAFE = ["/documents/?q=Quy%20tr%C3%ACnh", "/audits/3#findings", "/documents/?q=quy trình"]


def test_the_check_keeps_paths_on_the_site_and_refuses_the_rest():
    for target in UNSAFE:
        assert local_target(target, "/home") == "/home", repr(target)
    for target in SAFE:
        assert local_target(target, "/home") == target
    assert local_target(None, "/home") == "/home"


def test_a_line_break_in_next_signs_in_and_goes_home(app, make):
    user = make.user()
    client = app.test_client()
    # Exactly as typed in the address bar: the query string carries %0d%0a.
    response = client.post("/login?next=/%0d%0aX:1",
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "X" not in response.headers
    assert client.get("/").status_code == 200  # signed in, and it stayed so


def test_unsafe_targets_after_sign_in_and_language_switch_fall_back_home(app, make):
    user = make.user()
    for target in UNSAFE:
        client = app.test_client()  # signed out again for each target
        switched = client.post("/language", data={"locale": "en", "next": target})
        signed_in = client.post("/login", query_string={"next": target},
                                data={"email": user.email, "password": PASSWORD})
        for response in (switched, signed_in):
            if "\x00" in target:
                # NUL is refused before any view runs (core: a clear 400, nothing signed in).
                assert response.status_code == 400, repr(target)
                continue
            assert response.status_code == 302, repr(target)
            assert response.headers["Location"] == "/", repr(target)


def test_safe_targets_are_followed(app, make):
    user = make.user()
    client = app.test_client()
    switched = client.post("/language", data={"locale": "en", "next": "/audits/3#findings"})
    assert switched.headers["Location"] == "/audits/3#findings"
    signed_in = client.post("/login", query_string={"next": "/documents/?q=x"},
                            data={"email": user.email, "password": PASSWORD})
    assert signed_in.headers["Location"] == "/documents/?q=x"


def test_a_notification_with_an_unsafe_link_opens_the_list(app, client, make, login):
    user = make.user()
    login(client, user.email)
    note_id = notification_for(app, user.id)
    with app.app_context():
        db.session.get(Notification, note_id).link = "/\r\nX:1"
        db.session.commit()
    response = client.post(f"/notifications/{note_id}/open")
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications/"
