"""Every web render has a time limit: over it, a clear 503 page, nothing written."""

from __future__ import annotations

import pytest

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.core.pdf import RenderLimitExceeded, render_limited


def _events(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))


# The renderer's limit, not the data: on SQLite alone (conftest, one_database).
@pytest.mark.one_database
def test_a_render_over_the_time_limit_is_a_clear_503(app, client, make, login):
    login(client, make.user(roles=["coordinator"]).email)
    # A render child stays up between renders, so a small report no longer pays seconds of
    # start-up: the limit is set below any render's own time.
    app.config["PDF_TIME_LIMIT"] = 0.001
    before = _events(app)
    for url in ("/reports/six-monthly/organisation.pdf?period=2026-H1&lang=vi",
                "/management-reviews/input-pack.pdf?lang=en"):
        response = client.get(url)
        assert response.status_code == 503
        assert response.mimetype == "text/html"
        assert "took longer than the limit of 0.001 seconds" in response.get_data(as_text=True)
    assert _events(app) == before
    app.config["PDF_TIME_LIMIT"] = 60.0
    assert client.get("/reports/six-monthly/organisation.pdf?period=2026-H1").status_code == 200


def test_a_render_over_the_memory_limit_is_stopped():
    try:
        render_limited("<p>x</p>", memory_mb=64, time_limit=30)
    except RenderLimitExceeded as error:
        assert error.status == 503 and "memory limit of 64 MB" in error.message
    else:
        raise AssertionError("a 64 MB address space cannot hold WeasyPrint")
