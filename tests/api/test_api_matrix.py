"""Every /api/v1 endpoint × role × own/other department, read from the URL map: a new
endpoint without a row here fails (tests/test_permissions.py leaves /api/ to this file)."""

from __future__ import annotations

import pytest

from compliance.auth import tokens
from compliance.auth.models import User
from compliance.core.extensions import db
from tests.test_permissions import API_PREFIX, IGNORED_METHODS, ROLES

# (endpoint, method, target) -> the answer for each role in ROLES ("anonymous": no token).
API_MATRIX = {
    #                                                    anon admin coord head audit staff
    ("api_departments.Departments", "GET", None):        (401, 200, 200, 200, 200, 200),
    ("api_departments.DepartmentOne", "GET", "own"):     (401, 200, 200, 200, 200, 200),
    ("api_departments.DepartmentOne", "GET", "other"):   (401, 200, 200, 200, 200, 404),
    ("api-docs.openapi_json", "GET", None):              (200, 200, 200, 200, 200, 200),
}


def api_routes(app) -> set[tuple[str, str]]:
    """Every (endpoint, method) under /api/."""
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.rule.startswith(API_PREFIX) for method in rule.methods - IGNORED_METHODS}


def test_every_api_route_has_a_row(app):
    covered = {(endpoint, method) for endpoint, method, _target in API_MATRIX}
    assert api_routes(app) == covered


def _url(app, endpoint: str, department_id: int) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for
        return url_for(endpoint, **({"department_id": department_id}
                                    if "department_id" in rule.arguments else {}))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_its_answer(app, make, role):
    own, other = make.department(), make.department()
    headers = {}
    if role != "anonymous":
        user = make.user_with_role(role, own.id)
        with app.app_context():
            _token, secret = tokens.create(db.session.get(User, user.id), "matrix", "read")
            db.session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
    client = app.test_client()
    wrong = []
    for (endpoint, method, target), answers in API_MATRIX.items():
        url = _url(app, endpoint, other.id if target == "other" else own.id)
        status = client.open(url, method=method, headers=headers).status_code
        if status != answers[ROLES.index(role)]:
            wrong.append((endpoint, method, target, status))
    assert not wrong
