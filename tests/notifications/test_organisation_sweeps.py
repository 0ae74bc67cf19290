"""Issue 14: every alert sweep runs per organisation and tells each organisation's people
only about its own records, never another's."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from compliance.audits.models import Finding
from compliance.auth.models import User
from compliance.capa.models import EffectivenessCheck
from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.documents.models import Acknowledgement, Document
from compliance.org.models import Department
from tests.audits.helpers import audit_in_state
from tests.capa.helpers import ca_in_state
from tests.documents.helpers import document_target
from tests.installation.helpers import second_organisation
from tests.notifications.conftest import at
from tests.notifications.helpers import raised, run, set_columns

DAY = date(2026, 7, 1)


def _world(app, make, organisation_id: int) -> SimpleNamespace:
    """One organisation's people and records, each of them due for an alert on DAY."""
    with tenancy.acting_for(organisation_id):
        dept = make.department(code="VP")
        people = SimpleNamespace(
            dept=dept,
            head=make.user(departments=[(dept.id, "department_head")]),
            owner=make.user(departments=[(dept.id, "staff")]),
            reader=make.user(departments=[(dept.id, "staff")]),
            coordinator=make.user(roles=["coordinator"]),
            lead=make.user(roles=["auditor"]),
            member=make.user(roles=["auditor"]))
        doc = document_target(app, dept.id, people.owner.id, readers=[people.reader.id])
        # Overdue long enough for every escalation step.
        set_columns(app, Document, doc.document_id, next_review_date=DAY - timedelta(days=20))
        set_columns(app, Department, dept.id, certificate_expires_on=DAY + timedelta(days=30))
        ca = ca_in_state(app, dept.id, "actions_in_progress", coordinator_id=people.coordinator.id,
                         owner_id=people.owner.id, today=DAY - timedelta(days=40))
        # Raised long ago and still without its plan: past its target date.
        unplanned = ca_in_state(app, dept.id, "open", coordinator_id=people.coordinator.id,
                                owner_id=people.owner.id, today=DAY - timedelta(days=120))
        checked = ca_in_state(app, dept.id, "verifying", coordinator_id=people.coordinator.id,
                              owner_id=people.owner.id, today=DAY - timedelta(days=40))
        audit = audit_in_state(app, people, "in_progress")
        reported = audit_in_state(app, people, "reported", finding="observation")
        set_columns(app, Finding, reported.finding_ids[0], response_due_on=DAY - timedelta(days=10))
        with app.app_context():
            ack_id = db.session.scalar(select(Acknowledgement.id).where(
                Acknowledgement.revision_id == doc.revision_id))
            check_id = db.session.scalar(select(EffectivenessCheck.id).where(
                EffectivenessCheck.corrective_action_id == checked.ca_id))
        set_columns(app, EffectivenessCheck, check_id, due_on=DAY)
        with app.app_context():
            people.user_ids = set(db.session.scalars(
                select(User.id).where(User.organisation_id == organisation_id)))
        # What its people must hear of (every record is some sweep's subject).
        people.records = {f"document:{doc.document_id}", f"ack:{ack_id}",
                          f"ca:{unplanned.ca_id}", f"ca_action:{ca.action_id}",
                          f"department:{dept.id}", f"audit:{audit.audit_id}",
                          f"effcheck:{check_id}", f"finding:{reported.finding_ids[0]}"}
        return people


JOBS = ("alerts.reviews", "alerts.acknowledgements", "alerts.corrective_actions",
        "alerts.corrective_action_targets", "alerts.audits", "alerts.findings",
        "alerts.certificates")


def test_each_organisation_hears_only_of_its_own_records(app, make, clock):
    # The records were made (reading requested, actions planned) forty days before DAY.
    clock.set(at(DAY - timedelta(days=40)))
    worlds = (_world(app, make, 1), _world(app, make, second_organisation(app)))
    heard: dict[int, set[str]] = {0: set(), 1: set()}
    for job_id in JOBS:
        before = {n.id for n in raised(app)}
        run(app, job_id, at(DAY))
        for note in raised(app):
            if note.id in before:
                continue
            which = 0 if note.user_id in worlds[0].user_ids else 1
            assert note.user_id in worlds[which].user_ids
            subject = ":".join(note.key.split(":")[:2])
            # A note about the other organisation's record names that record's id.
            assert subject in worlds[which].records, (job_id, note.key)
            heard[which].add(subject)
    assert heard == {0: worlds[0].records, 1: worlds[1].records}
