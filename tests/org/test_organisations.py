"""Each organisation's own: its audit-trail chain (verified on its own) and its settings
(grades, questions, retention rules, risk scale), made with it by `create_organisation` and
edited without touching another's (issue 14)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text

from compliance.audit_trail import services as trail
from compliance.audits.models import FindingGrade, Question
from compliance.audits.services import grades
from compliance.auth.models import User
from compliance.core import tenancy
from compliance.core.db import utcnow, write_intent
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.job_results import JobResult, phrase
from compliance.core.jobs import Job, JobRun, add, job, run_job
from compliance.documents.records.queries import type_rules
from compliance.documents.services import retention
from compliance.notifications import outbox
from compliance.notifications.models import Notification
from compliance.org import organisations
from compliance.quality.risks.services.common import current_scale
from compliance.quality.risks.services.scale import set_scale
from tests.conftest import do_login


def _second(app, code: str = "TB-TT"):
    with app.app_context():
        created = organisations.create_organisation(
            code=code, name_vi="Ủy ban nhân dân xã Tân Thạnh", name_en="Tan Thanh Commune",
            parent=organisations.default_organisation())
        db.session.commit()
        return organisations.default_organisation_id(), created.id


def _interleave(app, first: int, second: int, rounds: int = 3) -> None:
    with app.app_context(), write_intent():
        for n in range(rounds):
            for organisation_id in (first, second):
                with tenancy.acting_for(organisation_id):
                    trail.record(None, "test.change", "thing", n, after={"n": n})
        db.session.commit()


def test_each_organisation_has_a_chain_of_its_own(app, runner):
    first, second = _second(app)
    _interleave(app, first, second)
    with app.app_context():
        verdicts = trail.verify_all()
        # Its creation is the first event of the new organisation's chain.
        assert (verdicts[first].checked, verdicts[second].checked) == (3, 4)
        assert all(v.ok for v in verdicts.values())
        rows = db.session.execute(text(
            "SELECT organisation_id, position, prev_hash, hash FROM audit_event "
            "WHERE organisation_id = :o ORDER BY seq"), {"o": second}).all()
        assert [r.position for r in rows] == [1, 2, 3, 4]
        assert rows[0].prev_hash == trail.GENESIS and rows[2].prev_hash == rows[1].hash
        # Tampering in the second organisation's chain breaks only its verification.
        db.session.execute(text("UPDATE audit_event SET after_json = '{}' "
                                "WHERE organisation_id = :o AND position = 3"), {"o": second})
        db.session.commit()
        verdicts = trail.verify_all()
        assert verdicts[first].ok and verdicts[first].checked == 3
        assert not verdicts[second].ok and verdicts[second].broken_at == 3
        # And deleting the first one's events leaves the second's findings as they were.
        db.session.execute(text("DELETE FROM audit_event WHERE organisation_id = :o"),
                           {"o": first})
        db.session.commit()
        assert trail.verify(first).ok and trail.verify(second).broken_at == 3

    one = runner.invoke(args=["audit-trail", "verify", "--org", "TB"])
    assert one.exit_code == 0 and "TB: Audit trail intact: 0 events" in one.output
    both = runner.invoke(args=["audit-trail", "verify"])
    assert both.exit_code == 1 and "TB-TT: Audit trail BROKEN at event 3" in both.output
    unknown = runner.invoke(args=["audit-trail", "verify", "--org", "NOPE"])
    assert unknown.exit_code == 2 and "known: TB, TB-TT" in unknown.output


def test_a_new_organisation_has_its_own_settings_edited_apart(app, make):
    first, second = _second(app)
    made = make.user_with_role("coordinator")
    with app.app_context():
        def count(model, organisation_id):
            return db.session.scalar(select(func.count()).select_from(model).where(
                model.organisation_id == organisation_id))

        assert count(FindingGrade, second) == count(FindingGrade, first) == 4
        assert count(Question, second) == count(Question, first) > 50
        coordinator = db.session.get(User, made.id)
        with tenancy.acting_for(first):
            minor = grades.get_grade("minor")
            grades.update_grade(coordinator, minor, name_vi="Nhẹ", name_en="Minor",
                                raises_corrective_action=True, requires_root_cause=False,
                                requires_effectiveness_evidence=False,
                                effectiveness_check_days=30, corrective_action_days=45,
                                expected_version=minor.version)
            retention.update_rule(coordinator, "form", 0, basis="created", years=7)
            set_scale(coordinator, size=3, bands={"low": (1, 2), "medium": (3, 5),
                                                  "high": (6, 9)},
                      expected_version=current_scale().version)
            db.session.commit()
        with tenancy.acting_for(second):
            theirs = grades.get_grade("minor")
            assert (theirs.name_vi, theirs.effectiveness_check_days) == \
                ("Điểm không phù hợp nhẹ", 60)
            assert type_rules()["form"].version == 0 and current_scale().size == 5
        with tenancy.acting_for(first):
            assert grades.get_grade("minor").corrective_action_days == 45
            assert type_rules()["form"].years == 7 and current_scale().size == 3




def test_an_organisation_is_made_only_with_what_it_needs(app):
    with app.app_context():
        for fields, field in (({"code": "tb tt?"}, "code"), ({"code": "TB"}, "code"),
                              ({"name_en": " "}, "name_en"),
                              ({"time_zone": "Mars/Olympus"}, "time_zone")):
            with pytest.raises(DomainError) as refused:
                organisations.create_organisation(**{
                    "code": "TB-BT", "name_vi": "Xã Bình Thành", "name_en": "Binh Thanh",
                    **fields})
            assert refused.value.field == field
        assert [o.code for o in organisations.all_organisations()] == ["TB"]


def test_a_job_runs_once_per_organisation_in_its_time_zone(app, runner):
    """Each organisation's run acts for it, with its own "today": at 11:30 UTC it is still
    Monday in Hà Nội (18:30) but already Tuesday on Kiritimati (UTC+14, 01:30)."""
    with app.app_context():
        organisations.create_organisation(code="TB-TT", name_vi="Xã Tân Thạnh",
                                          name_en="Tan Thanh", time_zone="Pacific/Kiritimati")
        db.session.commit()
    seen = []

    def note(today, now):
        seen.append((tenancy.current_organisation_id(), today))
        return JobResult("ok")

    moment = datetime(2026, 3, 2, 11, 30, tzinfo=UTC)
    add(app, Job("test.per_organisation", note, "interval", {"minutes": 5}),
        Job("test.installation", note, "interval", {"minutes": 5}, per_organisation=False))
    try:
        ok, result = run_job(app, job(app, "test.per_organisation"), moment)
        run_job(app, job(app, "test.installation"), moment)
    finally:
        for job_id in ("test.per_organisation", "test.installation"):
            app.extensions["compliance_jobs"].pop(job_id)
    assert seen == [(1, date(2026, 3, 2)), (2, date(2026, 3, 3)), (None, date(2026, 3, 2))]
    assert ok and [part["organisation"] for part in result.params["parts"]] == ["TB", "TB-TT"]
    with app.app_context():
        assert phrase(app, db.session.get(JobRun, "test.per_organisation")
                                             .last_result) == "TB: ok; TB-TT: ok"
    activated = runner.invoke(args=["documents", "activate-due"])
    assert activated.exit_code == 0 and activated.output.count("TB") == 2
    one = runner.invoke(args=["documents", "activate-due", "--org", "TB-TT"])
    assert one.exit_code == 0 and "TB" not in one.output


def test_pages_and_emails_name_the_persons_own_organisation(app, make, client):
    first, second = _second(app)
    with tenancy.acting_for(second):
        theirs = make.user(name="Cán bộ xã")
    with app.app_context(), app.test_request_context(), write_intent():
        note = Notification(user_id=theirs.id, kind="review_due", dedupe_key="test:1",
                            params='{"code": "QT-01", "title_vi": "Quy trình", '
                                   '"title_en": "Procedure", "due": "2026-12-01"}',
                            link="/documents/", created_at=utcnow())
        db.session.add(note)
        db.session.flush()
        email = outbox.queue_notification(db.session.get(User, theirs.id), note)
        # In the recipient's language (English here), from the organisation's row.
        assert email.subject.startswith("[Tan Thanh Commune]")
        assert "Tan Thanh Commune" in email.text_body and "District" not in email.text_body
        db.session.rollback()
    assert do_login(client, theirs.email).status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Tan Thanh Commune" in page and "Thanh Bình District" not in page


def test_an_alert_job_tells_each_organisation_once_about_its_own(app, make):
    """Certificates expiring in both organisations: run twice, each organisation's
    coordinator hears once, and only about their own department."""
    first, second = _second(app)
    moment = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    people = {}
    for organisation_id in (first, second):
        with tenancy.acting_for(organisation_id):
            department = make.department(certificate_number=f"QMS-{organisation_id}",
                                         certificate_expires_on=date(2026, 4, 1))
            people[organisation_id] = (make.user_with_role("coordinator").id, department.id)
    for _run in range(2):
        ok, _result = run_job(app, job(app, "alerts.certificates"), moment)
        assert ok
    with app.app_context():
        told = db.session.execute(select(Notification.user_id, Notification.dedupe_key)
                                  .order_by(Notification.user_id)).all()
    assert [(user, key.split(":")[1]) for user, key in told] == [
        (people[first][0], str(people[first][1])), (people[second][0], str(people[second][1]))]
