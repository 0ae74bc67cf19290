"""Oversight: granted per organisation subtree by the installation's or the organisation's
administrator; the overseer sees one row of figures per organisation below (from grouped
queries, not one per organisation), opens each one's records read-only, and never writes."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event, select

from compliance.audits.models import Audit, AuditProgramme
from compliance.auth.models import User
from compliance.capa.models import CorrectiveAction
from compliance.core import clock, tenancy
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.installation import oversight
from compliance.installation.models import OversightGrant
from compliance.org import organisations
from compliance.org.models import Organisation
from compliance.quality.objectives.models import Objective
from tests.conftest import do_login, pdf_rendered_in_process
from tests.documents.helpers import blank_pdf, document_target
from tests.installation.helpers import second_organisation


def _records(app, make, organisation_id: int) -> dict:
    """A commune's small system: a document overdue for review, an audit done this year and
    one planned, a corrective action past its target, an objective."""
    with app.app_context():
        today = clock.today()
    with tenancy.acting_for(organisation_id):
        department = make.department()
        head = make.user(departments=[(department.id, "department_head")])
        document = document_target(app, department.id, head.id, "effective",
                                   content=blank_pdf())
        with app.app_context():
            db.session.execute(db.update(Document).where(Document.id == document.document_id)
                               .values(next_review_date=today - timedelta(days=3),
                                       title_vi="Quy trình của xã", title_en="Commune procedure"))
            programme = AuditProgramme(title="Chương trình", period_start=date(today.year, 1, 1),
                                       period_end=date(today.year, 12, 31))
            db.session.add(programme)
            db.session.flush()
            for number, status in ((1, "closed"), (2, "planned")):
                db.session.add(Audit(reference=f"DG-{number}", programme_id=programme.id,
                                     department_id=department.id, status=status,
                                     planned_start=date(today.year, 1, 1),
                                     planned_end=date(today.year, 1, 2),
                                     lead_auditor_id=head.id))
            db.session.add(CorrectiveAction(
                reference="KP-1", source="other", department_id=department.id, grade="major",
                problem="Hồ sơ trễ hạn", raised_by_id=head.id, raised_on=today - timedelta(10),
                target_on=today - timedelta(days=1)))
            db.session.add(Objective(year=today.year, department_id=department.id,
                                     statement_vi="95% hồ sơ đúng hạn"))
            db.session.commit()
    return {"document_code": document.code}


def _grant_as(client, organisation_id: int, email: str):
    return client.post(f"/installation/organisations/{organisation_id}/oversight",
                       data={"email": email, "submit": "1"})


def _count_queries(app, work) -> int:
    seen = []
    with app.app_context():
        engine = db.engine
        listener = lambda *args: seen.append(1)  # noqa: E731 - a counter
        event.listen(engine, "before_cursor_execute", listener)
        try:
            work()
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_an_overseer_reads_the_organisations_below_and_nothing_else(app, make):
    with app.app_context():
        district = organisations.default_organisation().id
    commune = second_organisation(app, "TANTHANH")
    elsewhere = second_organisation(app, "KHAC", parent_default=False)
    with pdf_rendered_in_process(rendered=blank_pdf()):
        _records(app, make, commune)
        _records(app, make, elsewhere)
    admin = make.user(roles=["admin"], email="admin.huyen@example.com")
    coordinator = make.user(roles=["coordinator"], email="dieu.phoi@example.com")

    # The district's administrator grants oversight of the district (and all below it).
    client = app.test_client()
    do_login(client, admin.email)
    assert client.get("/oversight/grants").status_code == 200
    assert _grant_as(client, district, "nobody@example.com").status_code == 400
    assert _grant_as(client, district, coordinator.email).status_code == 302
    again = _grant_as(client, district, coordinator.email)
    assert again.status_code == 400 and "already oversees" in again.get_data(as_text=True)
    # Not over another organisation: only the installation's administrator grants there.
    assert _grant_as(client, elsewhere, coordinator.email).status_code == 403

    reader = app.test_client()
    do_login(reader, coordinator.email)
    page = reader.get("/oversight/")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-testid="oversight-row-TANTHANH"' in body and "oversight-row-KHAC" not in body
    with app.app_context():
        rows = {row.organisation.code: row for row in
                oversight.overview(oversight.overseen_ids(_user(coordinator.id)))}
        district_code = db.session.get(Organisation, district).code
    row = rows["TANTHANH"]
    assert (row.documents_overdue, row.audits_done, row.audits_planned, row.actions_open,
            row.actions_overdue, row.objectives) == (1, 1, 2, 1, 1, {"open": 1})
    assert set(rows) == {"TANTHANH", district_code}

    records = reader.get(f"/oversight/{commune}/").get_data(as_text=True)
    assert "Commune procedure" in records or "Quy trình của xã" in records
    assert 'data-testid="read-only"' in records and "KP-1" in records
    assert reader.get(f"/oversight/{elsewhere}/").status_code == 404
    assert reader.get("/oversight/999999/").status_code == 404

    # The district's six-monthly report gains the commune's figures as a section of its own.
    report = reader.get("/reports/six-monthly/organisation").get_data(as_text=True)
    assert 'data-organisation="TANTHANH"' in report and 'data-organisation="KHAC"' not in report
    unrolled = app.test_client()
    do_login(unrolled, make.user(roles=["coordinator"]).email)
    assert 'id="below"' not in unrolled.get("/reports/six-monthly/organisation").get_data(
        as_text=True)

    # Grouped queries: the overview of three organisations costs what the one of two does.
    two, three = {district, commune}, {district, commune, elsewhere}
    assert _count_queries(app, lambda: oversight.overview(two)) == \
        _count_queries(app, lambda: oversight.overview(three))

    # Someone without a grant sees no overview; ending the grant ends it.
    staff = app.test_client()
    do_login(staff, make.user(roles=["auditor"]).email)
    assert staff.get("/oversight/").status_code == 403
    with app.app_context():
        grant_id = db.session.scalar(select(OversightGrant.id))
    assert client.post(f"/installation/organisations/{district}/oversight/{grant_id}/delete"
                       ).status_code == 302
    assert reader.get("/oversight/").status_code == 403
    assert coordinator.email not in client.get("/oversight/grants").get_data(as_text=True)



def _user(user_id: int):
    with tenancy.across_organisations():
        return db.session.get(User, user_id)
