"""Issue 15: personal access tokens through the pages, bearer authentication, JSON errors,
keyset pages of departments and the OpenAPI document."""

from __future__ import annotations

import re

from sqlalchemy import select

from compliance.auth import services
from compliance.auth.models import ApiToken, User
from compliance.core.extensions import db
from tests.conftest import do_login


def _new_token(client, scope="read", days="90") -> str:
    page = client.post("/account/tokens/", data={"name": "portal", "scope": scope,
                                                  "days": days})
    assert page.status_code == 201, page.get_data(as_text=True)
    return re.search(r'id="new-token">(cmp_[^<]+)<', page.get_data(as_text=True)).group(1)


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_a_token_is_created_shown_once_stored_hashed_and_revoked(app, client, make):
    user = make.user(roles=["coordinator"])
    do_login(client, user.email)
    secret = _new_token(client)
    listing = client.get("/account/tokens/").get_data(as_text=True)
    assert secret not in listing and secret[:12] in listing
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash != secret and len(token.token_hash) == 64
    api = app.test_client()  # no session cookie: the token alone
    assert api.get("/api/v1/departments/", headers=_bearer(secret)).status_code == 200
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    answer = api.get("/api/v1/departments/", headers=_bearer(secret))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "token_revoked"


def test_a_token_lasts_at_most_a_year(client, make):
    do_login(client, make.user().email)
    assert client.post("/account/tokens/", data={"name": "x", "scope": "read",
                                                 "days": "400"}).status_code == 400


def test_missing_bad_expired_and_inactive_tokens_are_401(app, client, make, clock):
    user = make.user(roles=["coordinator"])
    do_login(client, user.email)
    secret = _new_token(client, days="1")
    api = app.test_client()
    assert api.get("/api/v1/departments/").json["error"]["code"] == "missing_token"
    assert api.get("/api/v1/departments/",
                   headers=_bearer("cmp_nonsense")).json["error"]["code"] == "invalid_token"
    # A session cookie does not open the API.
    assert client.get("/api/v1/departments/").status_code == 401
    admin_id = make.user(roles=["admin"]).id
    with app.app_context():
        admin = db.session.get(User, admin_id)
        services.set_active(admin, db.session.get(User, user.id), False)
        db.session.commit()
    answer = api.get("/api/v1/departments/", headers=_bearer(secret))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "token_revoked"
    # Deactivating killed the token: reactivating the account does not revive it.
    with app.app_context():
        services.set_active(db.session.get(User, admin_id), db.session.get(User, user.id), True)
        db.session.commit()
    answer = api.get("/api/v1/departments/", headers=_bearer(secret))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "token_revoked"


def test_a_read_token_may_not_write(app, client, make):
    do_login(client, make.user(roles=["coordinator"]).email)
    secret = _new_token(client)
    answer = app.test_client().post("/api/v1/departments/", headers=_bearer(secret))
    assert answer.status_code == 403
    assert answer.json["error"]["code"] == "insufficient_scope"


def test_staff_see_their_own_department_only_and_404_for_another(app, client, make):
    own, other = make.department(), make.department()
    do_login(client, make.user(departments=[(own.id, "staff")]).email)
    api, headers = app.test_client(), _bearer(_new_token(client))
    listed = api.get("/api/v1/departments/", headers=headers).json
    assert [d["id"] for d in listed] == [own.id]
    assert api.get(f"/api/v1/departments/{own.id}", headers=headers).status_code == 200
    hidden = api.get(f"/api/v1/departments/{other.id}", headers=headers)
    assert hidden.status_code == 404 and hidden.json["error"]["code"] == "not_found"


def test_pages_walk_the_whole_list_once(app, client, make):
    made = {make.department().id for _ in range(5)}
    do_login(client, make.user(roles=["coordinator"]).email)
    api, headers = app.test_client(), _bearer(_new_token(client))
    seen, url = [], "/api/v1/departments/?limit=2"
    while url:
        answer = api.get(url, headers=headers)
        assert answer.status_code == 200
        seen += [d["id"] for d in answer.json]
        link = answer.headers.get("Link")
        url = re.search(r"<([^>]+)>", link).group(1) if link else None
    assert sorted(seen) == seen and len(seen) == len(set(seen)) and made <= set(seen)
    bad = api.get("/api/v1/departments/?limit=0", headers=headers)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "limit"


def test_the_openapi_document_names_every_api_route(app, client):
    # Built when first asked for (compliance/api _Api), not with every app.
    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    assert not api._spec_ready
    document = client.get("/api/v1/openapi.json")
    assert api._spec_ready
    assert document.json["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document.status_code == 200 and document.json["openapi"] == "3.1.0"
    paths = set(document.json["paths"])
    for rule in app.url_map.iter_rules():
        # (The reference page draws the document: a page, not an operation in it.)
        if rule.rule.startswith("/api/v1/") and rule.endpoint.startswith("api_") \
                and rule.endpoint != "api_reference.page":
            # (A converter may take arguments: <any(opening, closing):which>.)
            assert re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule) in paths, rule.rule
