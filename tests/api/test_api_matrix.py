"""Every /api/v1 endpoint × role × own/other department, read from the URL map: a new
endpoint without a row here fails (tests/test_permissions.py leaves /api/ to this file)."""

from __future__ import annotations

import pytest

from compliance.auth import tokens
from compliance.auth.models import User
from compliance.core.extensions import db
from tests.notifications.helpers import notification_for
from tests.test_permissions import API_PREFIX, IGNORED_METHODS, ROLES

# (endpoint, method, target) -> the answer for each role in ROLES ("anonymous": no token).
API_MATRIX = {
    #                                                    anon admin coord head audit staff
    ("api_departments.Departments", "GET", None):        (401, 200, 200, 200, 200, 200),
    ("api_departments.DepartmentOne", "GET", "own"):     (401, 200, 200, 200, 200, 200),
    ("api_departments.DepartmentOne", "GET", "other"):   (401, 200, 200, 200, 200, 404),
    ("api-docs.openapi_json", "GET", None):              (200, 200, 200, 200, 200, 200),
    # A notification is its recipient's alone; the matrix's tokens read, so marks are 403.
    ("api_notifications.Notifications", "GET", None):    (401, 200, 200, 200, 200, 200),
    ("api_notifications.NotificationOne", "GET", "own"): (401, 200, 200, 200, 200, 200),
    ("api_notifications.NotificationOne", "GET", "other"): (401, 404, 404, 404, 404, 404),
    ("api_notifications.NotificationRead", "POST", "own"): (401, 403, 403, 403, 403, 403),
    ("api_notifications.NotificationsReadAll", "POST", None): (401, 403, 403, 403, 403, 403),
}


def api_routes(app) -> set[tuple[str, str]]:
    """Every (endpoint, method) under /api/."""
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.rule.startswith(API_PREFIX) for method in rule.methods - IGNORED_METHODS}


def test_every_api_route_has_a_row(app):
    covered = {(endpoint, method) for endpoint, method, _target in API_MATRIX}
    assert api_routes(app) == covered


def _url(app, endpoint: str, department_id: int, **ids) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    ids["department_id"] = department_id
    with app.test_request_context():
        from flask import url_for
        return url_for(endpoint, **{name: ids[name] for name in rule.arguments})


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
    # A notification of the caller's ("own"; someone's, for the anonymous) and another's.
    someone = make.user().id
    notes = {"own": notification_for(app, user.id if role != "anonymous" else someone),
             "other": notification_for(app, someone, "matrix:other")}
    for (endpoint, method, target), answers in API_MATRIX.items():
        url = _url(app, endpoint, other.id if target == "other" else own.id,
                   notification_id=notes.get(target, 0))
        status = client.open(url, method=method, headers=headers).status_code
        if status != answers[ROLES.index(role)]:
            wrong.append((endpoint, method, target, status))
    assert not wrong
