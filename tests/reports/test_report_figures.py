"""The organisation's report splits its figures by department, and every page that counts an
overdue review (My work, the alerts, the reviews page, the reports) agrees on the same data."""

from __future__ import annotations

import re
from datetime import date

from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.org.models import Department
from compliance.reports import queries
from compliance.reports.periods import Period, half_year
from tests.documents.helpers import document_target
from tests.notifications.conftest import at
from tests.notifications.helpers import raised, run, set_columns
from tests.reports.test_six_monthly import build_half_year, figures, pdf_text

H1 = half_year(2026, 1)
ROW = re.compile(r'<tr data-department="([^"]+)">(.*?)</tr>', re.S)
CELL = re.compile(r'<td data-figure="(\w+)">(\d+)</td>')


def _rows(page: str) -> dict[str, dict[str, int]]:
    return {code: {name: int(n) for name, n in CELL.findall(cells)}
            for code, cells in ROW.findall(page)}


def test_the_organisation_report_has_a_row_per_department_equal_to_its_own_report(
        app, make, login):
    case = build_half_year(app, make)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, case.coordinator.email)
    page = client.get("/reports/six-monthly/organisation?period=2026-H1").get_data(as_text=True)
    rows = _rows(page)
    assert set(rows) >= {"TP", "NV"}
    with app.test_request_context():
        for dept in (case.tp, case.nv):
            own = figures(queries.six_monthly(H1, db.session.get(Department, dept.id),
                                              date(2026, 8, 1)))
            own["findings"] = sum(own["findings"].values())
            assert rows[dept.code] == own, dept.code
    assert rows["TP"]["documents"] == 5 and rows["NV"]["audits"] == 1
    # A department's own report has no such table.
    assert "data-department" not in client.get(
        f"/reports/six-monthly/department/{case.tp.id}?period=2026-H1").get_data(as_text=True)
    text = pdf_text(client.get("/reports/six-monthly/organisation.pdf?period=2026-H1&lang=en")
                    .data)
    assert "By department" in text
    for dept in (case.tp, case.nv):
        counts = " ".join(str(n) for n in rows[dept.code].values())
        assert f"{dept.code} · {dept.name_en} {counts}" in text


def test_my_work_the_alerts_the_reviews_page_and_the_reports_agree_on_an_overdue_review(
        app, make, login, clock):
    dept = make.department(code="VP")
    owner = make.user(departments=[(dept.id, "staff")])
    coordinator = make.user(roles=["coordinator"])
    # In force since today, but its next review date says two weeks ago (an interval
    # shortened, or a register taken over): the date the register holds is the one that counts.
    doc = document_target(app, dept.id, owner.id)
    set_columns(app, Document, doc.document_id, next_review_date=date(2026, 6, 1))
    today = clock.today()

    mine = app.test_client()
    login(mine, owner.email)
    work = mine.get("/").get_data(as_text=True)
    section = work[work.index('data-testid="work-review"'):]
    assert "list-group-item-danger" in section[:section.index("</section>")]

    run(app, "alerts.reviews", at(today))
    assert [n.kind for n in raised(app, user_id=owner.id)] == ["review_overdue"]

    staff = app.test_client()
    staff.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(staff, coordinator.email)
    assert "Overdue by 14 days" in staff.get("/documents/reviews").get_data(as_text=True)
    org = staff.get("/reports/six-monthly/organisation?period=2026-H1").get_data(as_text=True)
    assert '<strong data-figure="reviews-overdue">1</strong>' in org
    assert _rows(org)["VP"]["reviews_overdue"] == 1
    home = staff.get("/").get_data(as_text=True)
    # The home page's attention grid: the department's overdue reviews, in words.
    row = re.search(r'<tr data-department="VP">(.*?)</tr>', home, re.S).group(1)
    assert re.search(r'data-column="reviews_overdue" data-level="2">\s*<a [^>]*>1 overdue</a>', row)
    with app.test_request_context():
        pack = queries.input_pack(Period(date(2026, 1, 1), date(2026, 6, 30)), today)
        assert [(d.code, due) for d, due in pack.reviews_overdue] == [
            (doc.code, date(2026, 6, 1))]
