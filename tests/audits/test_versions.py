"""Edits of the question bank, the finding grades, programmes and planned audits carry the
version they were shown: a stale or missing one is refused (409) and nothing is written."""

from __future__ import annotations

import re

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.audits.models import Audit, AuditProgramme, FindingGrade, Question
from compliance.core.extensions import db
from tests.audits.helpers import audit_in_state, cast, clause_ids

CONFLICT = "Someone else changed this"
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


def _client(app, login, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, user.email)
    return client


def _shown_version(page: str) -> int:
    """The hidden version field of the edit form on a page."""
    match = VERSION.search(page)
    assert match, "no version on the form"
    return int(match.group(1))


def _events(app, action: str) -> int:
    with app.app_context():
        return len(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == action)).all())


def test_a_question_edited_by_two_coordinators_keeps_the_first_save(app, make, login):
    first, second = (_client(app, login, make.user(roles=["coordinator"])) for _ in range(2))
    clause = clause_ids(app, "9.2")[0]
    with app.app_context():
        question = db.session.scalars(select(Question).where(Question.clause_id == clause)
                                      ).first()
        question_id, original = question.id, question.text_en
    url = f"/audits/questions/{question_id}"
    shown = _shown_version(first.get(url).get_data(as_text=True))
    assert _shown_version(second.get(url).get_data(as_text=True)) == shown
    data = {"clause_id": clause, "text_vi": "Câu hỏi đã sửa?", "active": "y"}
    assert first.post(url, data={**data, "text_en": "First?", "version": shown}).status_code \
        == 302
    stale = second.post(url, data={**data, "text_en": "Second?", "version": shown})
    missing = second.post(url, data={**data, "text_en": "Third?"})
    for refused in (stale, missing):
        assert refused.status_code == 409
        assert CONFLICT in refused.get_data(as_text=True)
    with app.app_context():
        kept = db.session.get(Question, question_id)
        assert kept.text_en == "First?" != original and kept.version == shown + 1
    assert _events(app, "question.save") == 1


def test_a_grade_edited_on_a_stale_page_is_refused_not_saved(app, make, login):
    first, second = (_client(app, login, make.user(roles=["coordinator"])) for _ in range(2))
    shown = _shown_version(first.get("/audits/grades/minor").get_data(as_text=True))
    rules = {"name_vi": "Điểm không phù hợp nhẹ", "name_en": "Minor nonconformity",
             "raises_corrective_action": "y", "requires_root_cause": "y"}
    assert first.post("/audits/grades/minor", data={
        **rules, "effectiveness_check_days": 30, "version": shown}).status_code == 302
    # The second coordinator's page still shows 60 days and the old version.
    for data in ({**rules, "effectiveness_check_days": 90, "version": shown},
                 {**rules, "effectiveness_check_days": 90}):
        refused = second.post("/audits/grades/minor", data=data)
        assert refused.status_code == 409 and CONFLICT in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(FindingGrade, (1, "minor")).effectiveness_check_days == 30
    assert _events(app, "grade.update") == 1


def test_a_coordinator_edits_a_programme_and_a_stale_edit_is_refused(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "planned")
    coordinator = _client(app, login, people.coordinator)
    other = _client(app, login, make.user(roles=["coordinator"]))
    url = f"/audits/programmes/{ids.programme_id}/edit"
    assert 'href="' + url in coordinator.get(
        f"/audits/programmes/{ids.programme_id}").get_data(as_text=True)
    page = coordinator.get(url).get_data(as_text=True)
    shown = _shown_version(page)
    assert "Chương trình 2026" in page
    data = {"title": "Chương trình đánh giá nội bộ 2026", "period_start": "2026-01-01",
            "period_end": "2026-12-31", "notes": "Phạm vi: toàn bộ các phòng chuyên môn"}
    bad = coordinator.post(url, data={**data, "period_end": "2025-12-31", "version": shown})
    assert bad.status_code == 400 and "The period ends before it starts." in \
        bad.get_data(as_text=True)
    assert coordinator.post(url, data={**data, "version": shown}).status_code == 302
    for stale in ({**data, "title": "Khác", "version": shown}, {**data, "title": "Khác"}):
        assert other.post(url, data=stale).status_code == 409
    with app.app_context():
        programme = db.session.get(AuditProgramme, ids.programme_id)
        assert (programme.title, programme.notes) == (data["title"], data["notes"])
    assert _events(app, "programme.update") == 1
    auditor = _client(app, login, people.lead)
    assert auditor.get(url).status_code == 403
    assert auditor.post(url, data={**data, "version": shown + 1}).status_code == 403


def test_a_planned_audit_edit_without_its_version_is_refused(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "planned")
    coordinator = _client(app, login, people.coordinator)
    data = {"department_id": people.dept.id, "clause_ids": clause_ids(app, "9.2"),
            "planned_start": "2026-06-08", "planned_end": "2026-06-09",
            "lead_auditor_id": people.lead.id, "team_ids": [people.member.id]}
    assert coordinator.post(f"/audits/{ids.audit_id}/edit", data=data).status_code == 409
    shown = _shown_version(coordinator.get(f"/audits/{ids.audit_id}/edit")
                           .get_data(as_text=True))
    assert coordinator.post(f"/audits/{ids.audit_id}/edit",
                            data={**data, "version": shown}).status_code == 302
    with app.app_context():
        assert str(db.session.get(Audit, ids.audit_id).planned_start) == "2026-06-08"
