"""Review, reading and certificate alerts: each lead time and escalation step, to the day."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from compliance.core.extensions import db
from compliance.documents.models import Acknowledgement, Document
from compliance.org.models import Department
from tests.documents.helpers import document_target
from tests.notifications.conftest import at
from tests.notifications.helpers import raised, run, sentence, set_columns

DUE = date(2026, 9, 30)


@pytest.fixture
def office(app, make):
    """A department with its head, a document owner, a reader and a coordinator."""
    dept = make.department(code="VP", name_vi="Văn phòng", name_en="Office")
    people = SimpleNamespace(
        dept=dept,
        head=make.user(name="Lê Văn Hùng", departments=[(dept.id, "department_head")]),
        owner=make.user(name="Ngô Thị Mai", locale="vi", departments=[(dept.id, "staff")]),
        reader=make.user(name="Đỗ Quang Huy", departments=[(dept.id, "staff")]),
        coordinator=make.user(name="Trần Minh Thư", roles=["coordinator"]),
    )
    doc = document_target(app, dept.id, people.owner.id)
    set_columns(app, Document, doc.document_id, next_review_date=DUE)
    people.doc = doc
    return people


def _review(app, day: date) -> list:
    before = {n.id for n in raised(app)}
    run(app, "alerts.reviews", at(day))
    return [n for n in raised(app) if n.id not in before]


def test_review_due_at_30_and_7_days_and_on_the_day_goes_to_the_owner(app, office):
    doc = office.doc
    key = f"document:{doc.document_id}:review_due:{DUE}"
    steps = {31: None, 30: f"{key}:30d", 29: None, 8: None, 7: f"{key}:7d", 6: None,
             1: None, 0: f"{key}:0d"}
    for days, expected in steps.items():
        new = _review(app, DUE - timedelta(days=days))
        if expected is None:
            assert new == [], f"{days} days before: {new}"
            continue
        assert [(n.user_id, n.key) for n in new] == [(office.owner.id, expected)], days
        assert new[0].kind == ("review_due_today" if days == 0 else "review_due")
        assert new[0].link == f"/documents/{doc.document_id}"

    due_in_30, _week, today = raised(app)
    english = sentence(app, due_in_30, "en")
    assert doc.code in english and "Test procedure" in english and "30 Sep 2026" in english
    vietnamese = sentence(app, due_in_30, "vi")
    assert "Quy trình kiểm thử" in vietnamese and "30/09/2026" in vietnamese
    assert "Test procedure" not in vietnamese
    assert "today" in sentence(app, today, "en")


def test_overdue_review_escalates_to_the_head_after_7_days_then_the_coordinator_after_14(
        app, office):
    key = f"document:{office.doc.document_id}:review_overdue:{DUE}"
    expected = {1: [(office.owner.id, f"{key}:owner", "review_overdue")],
                6: [],
                7: [(office.head.id, f"{key}:head", "review_overdue_escalated")],
                13: [],
                14: [(office.coordinator.id, f"{key}:coordinator", "review_overdue_escalated")],
                15: []}
    for late, wanted in expected.items():
        new = _review(app, DUE + timedelta(days=late))
        assert [(n.user_id, n.key, n.kind) for n in new] == wanted, f"{late} days late"
    head_note = raised(app, user_id=office.head.id)[0]
    text = sentence(app, head_note, "en")
    # The head learns whose review it is.
    assert "Ngô Thị Mai" in text and "30 Sep 2026" in text


def test_a_review_done_on_time_raises_nothing_overdue(app, office):
    set_columns(app, Document, office.doc.document_id, next_review_date=DUE + timedelta(365))
    assert _review(app, DUE + timedelta(days=20)) == []


def _acks(app, now) -> list:
    before = {n.id for n in raised(app)}
    run(app, "alerts.acknowledgements", now)
    return [n for n in raised(app) if n.id not in before]


def test_unread_document_reminds_the_reader_after_7_days_and_their_head_after_14(app, office):
    doc = document_target(app, office.dept.id, office.owner.id, readers=[office.reader.id])
    with app.app_context():
        ack = db.session.scalar(select(Acknowledgement).where(
            Acknowledgement.revision_id == doc.revision_id))
        ack_id, requested = ack.id, ack.requested_at
    # A second, newer request to the same reader: it must not ride on the first's escalation.
    newer = document_target(app, office.dept.id, office.owner.id, readers=[office.reader.id])
    with app.app_context():
        newer_ack = db.session.scalar(select(Acknowledgement).where(
            Acknowledgement.revision_id == newer.revision_id))
        newer_id = newer_ack.id
    set_columns(app, Acknowledgement, newer_id, requested_at=requested + timedelta(days=7))

    minute = timedelta(minutes=1)
    assert _acks(app, requested + timedelta(days=7) - minute) == []
    new = _acks(app, requested + timedelta(days=7))
    assert [(n.user_id, n.key, n.kind, n.link) for n in new] == [
        (office.reader.id, f"ack:{ack_id}:outstanding:7d", "ack_outstanding", "/documents/to-read")]
    assert _acks(app, requested + timedelta(days=14) - minute) == []
    new = _acks(app, requested + timedelta(days=14))
    assert sorted((n.user_id, n.key) for n in new) == sorted([
        (office.head.id, f"ack:{ack_id}:outstanding:14d:head"),
        (office.reader.id, f"ack:{newer_id}:outstanding:7d")])
    escalated = next(n for n in new if n.user_id == office.head.id)
    assert escalated.kind == "ack_outstanding_escalated"
    assert escalated.link == f"/documents/{doc.document_id}"
    assert "Đỗ Quang Huy" in sentence(app, escalated, "en")
    assert "Quy trình kiểm thử" in sentence(app, escalated, "vi")


def test_an_acknowledged_reading_is_not_reminded(app, office):
    doc = document_target(app, office.dept.id, office.owner.id, readers=[office.reader.id])
    with app.app_context():
        ack = db.session.scalar(select(Acknowledgement).where(
            Acknowledgement.revision_id == doc.revision_id))
        requested, ack_id = ack.requested_at, ack.id
    set_columns(app, Acknowledgement, ack_id, acknowledged_at=requested + timedelta(days=1))
    assert _acks(app, requested + timedelta(days=30)) == []


def test_certificate_expiring_in_90_and_30_days_goes_to_the_coordinators(app, office, make):
    second = make.user(name="Phan Thu Hà", roles=["coordinator"], locale="vi")
    expires = date(2027, 3, 31)
    set_columns(app, Department, office.dept.id, certificate_number="QMS-0912",
                certificate_expires_on=expires)
    key = f"department:{office.dept.id}:certificate:{expires}"
    for days, lead in {91: None, 90: "90d", 89: None, 31: None, 30: "30d", 0: None}.items():
        before = {n.id for n in raised(app)}
        run(app, "alerts.certificates", at(expires - timedelta(days=days)))
        new = [n for n in raised(app) if n.id not in before]
        wanted = [] if lead is None else sorted(
            [(office.coordinator.id, f"{key}:{lead}"), (second.id, f"{key}:{lead}")])
        assert sorted((n.user_id, n.key) for n in new) == wanted, f"{days} days before"
    note = raised(app, user_id=second.id)[0]
    assert note.kind == "certificate_expiring"
    assert note.link == f"/departments/{office.dept.id}"
    assert "QMS-0912" in sentence(app, note, "en") and "Office" in sentence(app, note, "en")
    assert "Văn phòng" in sentence(app, note, "vi") and "31/03/2027" in sentence(app, note, "vi")
