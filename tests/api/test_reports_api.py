"""Issue 15: the six-monthly report and the management review's input pack as PDFs through
the API, for those who read them on their pages."""

from __future__ import annotations

import pytest

from tests.api.helpers import bearer


@pytest.mark.one_database
def test_the_reports_pdfs_are_downloaded_by_their_readers(app, make, clock):
    own = make.department(code="TP")
    api = app.test_client()
    boss = bearer(app, make.user(roles=["coordinator"]).id)
    head = bearer(app, make.user(departments=[(own.id, "department_head")]).id)
    report = api.get(f"/api/v1/reports/six-monthly.pdf?department={own.id}&period=2026-H1"
                     "&lang=en", headers=head)
    assert report.status_code == 200 and report.data.startswith(b"%PDF")
    assert report.headers["Content-Disposition"] == \
        'attachment; filename="report-TP-2026-H1-en.pdf"'
    assert api.get("/api/v1/reports/six-monthly.pdf", headers=head).status_code == 403
    bad = api.get("/api/v1/reports/six-monthly.pdf?period=2026-H3", headers=boss)
    assert bad.status_code == 400 and bad.json["error"]["field"] == "period"
    assert api.get("/api/v1/reports/six-monthly.pdf?lang=fr",
                   headers=boss).status_code == 422
    pack = api.get("/api/v1/reports/management-review-input.pdf?start=2026-01-01"
                   "&end=2026-06-30", headers=boss)
    assert pack.status_code == 200 and pack.data.startswith(b"%PDF")
    assert "management-review-input-2026-01-01-2026-06-30-" in \
        pack.headers["Content-Disposition"]
    assert api.get("/api/v1/reports/management-review-input.pdf",
                   headers=head).status_code == 403
    backwards = api.get("/api/v1/reports/management-review-input.pdf?start=2026-06-30"
                        "&end=2026-01-01", headers=boss)
    assert backwards.status_code == 400 and backwards.json["error"]["field"] == "period_end"
