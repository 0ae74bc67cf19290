"""Retention and disposition: the arithmetic on the organisation's calendar, the due list of a
month, the signed decisions, a destroyed revision (file gone only when nobody else uses it,
record, signatures and trail kept), and the monthly job's alert."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core import jobs
from compliance.core.extensions import db
from compliance.core.job_results import JobResult
from compliance.core.storage import get_store
from compliance.documents.models import Document, Revision
from compliance.documents.records import periods
from compliance.notifications.models import Notification
from tests.documents.records_helpers import decide, revision_of, with_history
from tests.factories import PASSWORD

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    """A moment in Hà Nội."""
    return datetime(*args, tzinfo=HANOI)


def _people(app, make, login):
    dept = make.department(code="VP")
    coordinator = make.user(roles=["coordinator"])
    head = make.user(departments=[(dept.id, "department_head")])
    client = app.test_client()
    login(client, coordinator.email)
    return dept, coordinator, head, client


def test_add_years_keeps_the_day_or_takes_the_last_of_february():
    assert periods.add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert periods.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert periods.add_years(date(2023, 3, 10), 5) == date(2028, 3, 10)


def test_five_years_after_superseded_on_29_february_on_the_organisations_calendar(
        app, make, login, clock):
    dept, coordinator, head, client = _people(app, make, login)
    # 00:30 on 29 February in Hà Nội is still 28 February in UTC: the organisation's day counts.
    superseded = at(2024, 2, 29, 0, 30)
    doc = with_history(app, dept.id, head.id, code="QT-VP-01", revisions=[
        {"status": "superseded", "width": 310, "created_at": at(2023, 1, 5, 9),
         "superseded_at": superseded},
        {"status": "effective", "width": 311, "created_at": superseded}])
    old = doc.revisions[0]
    clock.set(at(2029, 2, 28, 10))
    login(client, coordinator.email)  # years later: sign in again
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert 'data-testid="kept-until-01">Kept until 28 Feb 2029<' in page
    february = client.get("/documents/retention/due?month=2029-02").get_data(as_text=True)
    assert 'data-testid="due-QT-VP-01-01"' not in february
    # Still kept on its last day: refused, nothing recorded.
    refused = decide(client, doc.id, old)
    assert refused.status_code == 409 and "kept until 2029-02-28" in refused.get_data(as_text=True)
    march = client.get("/documents/retention/due?month=2029-03").get_data(as_text=True)
    assert 'data-testid="due-QT-VP-01-01"' in march and "Not yet due" in march
    clock.set(at(2029, 3, 1, 8))
    login(client, coordinator.email)  # years later: sign in again
    this_month = client.get("/documents/retention/due").get_data(as_text=True)
    assert 'data-testid="due-QT-VP-01-01"' in this_month
    assert 'data-testid="due-QT-VP-01-02"' not in this_month  # still in force
    assert decide(client, doc.id, old).status_code == 302
    assert revision_of(app, old).disposition == "destroyed"


def test_ten_years_after_the_year_of_creation_ends_on_31_december(app, make, login, clock):
    dept, coordinator, head, client = _people(app, make, login)
    # Created at 01:00 on 1 January 2017 in Hà Nội (still 2016 in UTC): a record of 2017.
    doc = with_history(app, dept.id, head.id, code="HS-VP-01", doc_type="record", revisions=[
        {"status": "effective", "width": 320, "created_at": at(2017, 1, 1, 1)}])
    with app.app_context():
        document = db.session.get(Document, doc.id)
        revision = db.session.get(Revision, doc.revisions[0])
        rule = periods.Rule("created", 10)
        assert periods.retained_until(rule, revision, document) == date(2027, 12, 31)
        assert periods.due_on(rule, revision, document) == date(2028, 1, 1)
    clock.set(at(2027, 12, 31, 23))
    login(client, coordinator.email)  # years later: sign in again
    december = client.get("/documents/retention/due?month=2027-12").get_data(as_text=True)
    assert 'data-testid="due-HS-VP-01-01"' not in december
    assert decide(client, doc.id, doc.revisions[0]).status_code == 409
    january = client.get("/documents/retention/due?month=2028-01").get_data(as_text=True)
    assert 'data-testid="due-HS-VP-01-01"' in january


def test_a_destroyed_revision_keeps_its_record_and_a_shared_file(app, make, login, clock,
                                                                  runner):
    dept, coordinator, head, client = _people(app, make, login)
    long_ago = at(2015, 6, 1, 9)
    # Revision 01 of QT-VP-02 has the same bytes as the form in force BM-VP-01: one file.
    shared = with_history(app, dept.id, head.id, code="QT-VP-02", revisions=[
        {"status": "superseded", "width": 330, "created_at": long_ago,
         "superseded_at": long_ago},
        {"status": "effective", "width": 331, "created_at": long_ago}])
    form = with_history(app, dept.id, head.id, code="BM-VP-01", doc_type="form", revisions=[
        {"status": "effective", "width": 330, "created_at": long_ago}])
    alone = with_history(app, dept.id, head.id, code="QT-VP-03", revisions=[
        {"status": "superseded", "width": 332, "created_at": long_ago,
         "superseded_at": long_ago},
        {"status": "effective", "width": 333, "created_at": long_ago}])
    assert shared.shas[0] == form.shas[0]
    # Years after the files were stored (a file stored again within the hour is kept).
    clock.set(at(2040, 6, 15, 10))
    login(client, coordinator.email)  # years later: sign in again
    wrong = decide(client, shared.id, shared.revisions[0], password="not mine")
    assert wrong.status_code == 400 and revision_of(app, shared.revisions[0]).disposition is None
    assert decide(client, shared.id, shared.revisions[0], version=1).status_code == 409
    assert decide(client, shared.id, shared.revisions[0]).status_code == 302
    assert decide(client, alone.id, alone.revisions[0]).status_code == 302
    assert decide(client, alone.id, alone.revisions[0]).status_code == 409  # decided already
    with app.app_context():
        store = get_store()
        assert store.exists(shared.shas[0])  # BM-VP-01 still uses it
        assert not store.exists(alone.shas[0])
        assert store.exists(alone.shas[1])
    # The copy answers 410 with the reason; the record, its signature and history stay.
    for kind in ("download", "original"):
        gone = client.get(f"/documents/{alone.id}/revisions/{alone.revisions[0]}/{kind}")
        assert gone.status_code == 410
        assert "was destroyed on" in gone.get_data(as_text=True)
    assert client.get(f"/documents/{form.id}/revisions/{form.revisions[0]}/original"
                      ).status_code == 200
    page = client.get(f"/documents/{alone.id}").get_data(as_text=True)
    assert 'data-testid="disposition-01"' in page and "Trần Minh Thư" in page
    assert "File deleted" in page and "decided what becomes of revision 01" in page
    assert "File kept: another record still uses it" in \
        client.get(f"/documents/{shared.id}").get_data(as_text=True)
    with app.app_context():
        [event] = [json.loads(e.after_json) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "document.disposition",
                                     AuditEvent.entity_id == str(alone.id)))]
    assert event["decision"] == "destroy" and event["method"] == "password"
    assert event["file_removed"] is True and event["file_sha256"] == alone.shas[0]
    assert runner.invoke(args=["audit-trail", "verify"]).exit_code == 0
    storage = runner.invoke(args=["storage", "verify"])
    assert storage.exit_code == 0 and "MISSING" not in storage.output


def test_keep_longer_then_transfer_and_no_reinstating_what_was_disposed_of(
        app, make, login, clock):
    dept, coordinator, head, client = _people(app, make, login)
    long_ago = at(2016, 3, 1, 9)
    doc = with_history(app, dept.id, head.id, code="QT-VP-04", status="obsolete", revisions=[
        {"status": "obsolete", "width": 340, "created_at": long_ago}])
    with app.app_context(), app.test_request_context():
        document = db.session.get(Document, doc.id)
        document.obsolete_at = long_ago
        db.session.commit()
    clock.set(at(2026, 6, 15, 10))
    login(client, coordinator.email)  # years later: sign in again
    rev = doc.revisions[0]
    no_date = decide(client, doc.id, rev, decision="extend")
    assert no_date.status_code == 400 and "after today" in no_date.get_data(as_text=True)
    kept = decide(client, doc.id, rev, decision="extend", extended_until="2027-06-30",
                  reason="Còn khiếu nại chưa giải quyết")
    assert kept.status_code == 302
    assert revision_of(app, rev).keep_until == date(2027, 6, 30)
    assert 'data-testid="due-QT-VP-04-01"' not in client.get(
        "/documents/retention/due").get_data(as_text=True)
    assert decide(client, doc.id, rev, version=1, decision="transfer").status_code == 409
    clock.set(at(2027, 7, 1, 9))
    login(client, coordinator.email)  # years later: sign in again
    assert decide(client, doc.id, rev, version=1, decision="transfer").status_code == 302
    transferred = revision_of(app, rev)
    assert transferred.disposition == "transferred" and transferred.blob_destroyed_at is None
    reinstated = client.post(f"/documents/{doc.id}/reinstate", data={
        "reason": "Khôi phục", "password": PASSWORD, "version": 1})
    assert reinstated.status_code == 409
    assert "cannot be reinstated" in reinstated.get_data(as_text=True)


def test_rules_are_data_and_a_document_may_have_its_own(app, make, login, clock):
    dept, coordinator, head, client = _people(app, make, login)
    doc = with_history(app, dept.id, head.id, code="QT-VP-05", revisions=[
        {"status": "superseded", "width": 350, "created_at": at(2020, 1, 2, 9),
         "superseded_at": at(2020, 1, 2, 9)},
        {"status": "effective", "width": 351, "created_at": at(2020, 1, 2, 9)}])
    clock.set(at(2026, 6, 15, 10))
    login(client, coordinator.email)  # years later: sign in again
    due = client.get("/documents/retention/due").get_data(as_text=True)
    assert 'data-testid="due-QT-VP-05-01"' in due  # 5 years after 2 January 2020
    assert client.post("/documents/retention/rules/procedure", data={
        "basis": "superseded", "years": 10, "version": 1}).status_code == 409  # stale
    assert client.post("/documents/retention/rules/procedure", data={
        "basis": "superseded", "years": 10, "version": 0}).status_code == 302
    assert "10 years after it stopped being in force" in client.get(
        "/documents/retention/rules").get_data(as_text=True)
    assert 'data-testid="due-QT-VP-05-01"' not in client.get(
        "/documents/retention/due").get_data(as_text=True)
    own = client.post(f"/documents/{doc.id}/retention", data={
        "basis": "superseded", "years": 3, "reason": "Theo quyết định của UBND", "version": 1})
    assert own.status_code == 302
    assert 'data-testid="due-QT-VP-05-01"' in client.get(
        "/documents/retention/due").get_data(as_text=True)
    assert "Theo quyết định của UBND" in client.get(f"/documents/{doc.id}").get_data(
        as_text=True)
    head_client = app.test_client()
    login(head_client, head.email)
    assert head_client.get("/documents/retention/due").status_code == 403
    assert decide(head_client, doc.id, doc.revisions[0]).status_code == 403


def test_the_monthly_job_lists_what_falls_due_and_tells_the_coordinators(
        app, make, login, clock):
    dept, coordinator, head, client = _people(app, make, login)
    with_history(app, dept.id, head.id, code="QT-VP-06", revisions=[
        {"status": "superseded", "width": 360, "created_at": at(2021, 6, 20, 9),
         "superseded_at": at(2021, 6, 20, 9)},
        {"status": "effective", "width": 361, "created_at": at(2021, 6, 20, 9)}])
    clock.set(at(2026, 6, 1, 7))  # due on 21 June: within the month
    login(client, coordinator.email)  # years later: sign in again
    entry = jobs.job(app, "documents.disposition_due")
    ok, result = jobs.run_job(app, entry)
    assert ok and result == JobResult("documents.disposition_due",
                                      {"count": 1, "by": "2026-06-30", "held": 0})
    again_ok, _again = jobs.run_job(app, entry)
    assert again_ok
    with app.app_context():
        notes = db.session.scalars(select(Notification).where(
            Notification.kind == "disposition_due")).all()
    assert [(n.user_id, n.dedupe_key) for n in notes] == [(coordinator.id, "disposition:2026-06")]
    assert "/documents/retention/due?month=2026-06" in notes[0].link
    bell = client.get("/notifications/").get_data(as_text=True)
    assert "Revisions due for disposition by the end of 06/2026: 1" in bell
    # The scheduler page says it in the reader's language, the day as the reader writes it.
    page = client.get("/admin/scheduler/").get_data(as_text=True)
    assert "1 revision due for disposition by 30 Jun 2026, 0 under legal hold" in page
    client.post("/language", data={"locale": "vi"})
    page = client.get("/admin/scheduler/").get_data(as_text=True)
    assert "1 phiên bản đến hạn xử lý trước ngày 30/06/2026, 0 đang bị phong tỏa hồ sơ" in page
