"""Issue 15: the caller's notifications through the API: keyset pages with the unread
filter, one read, marks with a write token (the pages' services); another's is missing."""

from __future__ import annotations

import re

import pytest

from compliance.auth import tokens
from compliance.auth.models import User
from compliance.core.extensions import db
from tests.notifications.helpers import notification_for


def _bearer(app, user_id: int, scope: str = "read write") -> dict:
    with app.app_context():
        _token, secret = tokens.create(db.session.get(User, user_id), "hộp thư", scope)
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _walk(api, url: str, headers: dict) -> list[dict]:
    seen = []
    while url:
        answer = api.get(url, headers=headers)
        assert answer.status_code == 200, answer.json
        seen += answer.json
        link = answer.headers.get("Link")
        url = re.search(r"<([^>]+)>", link).group(1) if link else None
    return seen


@pytest.mark.one_database
def test_notifications_are_listed_read_and_marked_through_the_api(app, make):
    person, someone = make.user(locale="en"), make.user()
    mine = [notification_for(app, person.id, f"api:{n}") for n in range(3)]
    theirs = notification_for(app, someone.id, "api:theirs")
    api, headers = app.test_client(), _bearer(app, person.id)
    listed = _walk(api, "/api/v1/notifications/?limit=2&unread=true", headers)
    assert [n["id"] for n in listed] == mine and not any(n["read"] for n in listed)
    assert "QT-01" in listed[0]["text"] and listed[0]["link"] == "/documents/"
    marked = api.post(f"/api/v1/notifications/{mine[0]}/read", headers=headers)
    assert marked.status_code == 200 and marked.json["read"] is True
    assert [n["id"] for n in _walk(api, "/api/v1/notifications/?unread=1", headers)] == mine[1:]
    newest = _walk(api, "/api/v1/notifications/?sort=-id&limit=1", headers)
    assert [n["id"] for n in newest] == mine[::-1]
    assert api.get(f"/api/v1/notifications/{mine[0]}", headers=headers).json["read"] is True
    for hidden in (api.get(f"/api/v1/notifications/{theirs}", headers=headers),
                   api.post(f"/api/v1/notifications/{theirs}/read", headers=headers)):
        assert hidden.status_code == 404 and hidden.json["error"]["code"] == "not_found"
    assert api.post("/api/v1/notifications/read-all", headers=headers).json == {"marked": 2}
    assert _walk(api, "/api/v1/notifications/?unread=true", headers) == []
    # Someone else's stays unread; a read token may list but not mark.
    other = _bearer(app, someone.id, scope="read")
    assert [n["id"] for n in _walk(api, "/api/v1/notifications/", other)] == [theirs]
    refused = api.post("/api/v1/notifications/read-all", headers=other)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "insufficient_scope"
