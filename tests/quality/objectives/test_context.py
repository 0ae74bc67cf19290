"""Context issues and interested parties through the pages: kept by coordinators, read by
auditors and heads, not by staff; every change checks the version and leaves a trail."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.quality.objectives.models import ContextIssue, InterestedParty
from tests.quality.objectives.helpers import context_records, objective_with_plan, version_of
from tests.test_edit_versions import assert_refused_without_version, offered


def test_a_coordinator_keeps_the_context_and_the_interested_parties(app, client, as_role,
                                                                     clock):
    as_role("coordinator")
    assert client.post("/context/issues/new", data={
        "kind": "internal", "description": "Cán bộ một cửa thay đổi thường xuyên",
        "effect": "Hồ sơ dễ bị trễ hạn khi bàn giao", "review_on": "2026-12-31"}
    ).status_code == 302
    assert client.post("/context/parties/new", data={
        "name_vi": "Sở Khoa học và Công nghệ tỉnh",
        "name_en": "Provincial Department of Science and Technology",
        "requirements": "Báo cáo tình hình áp dụng ISO hằng năm",
        "review_on": "2026-12-31"}).status_code == 302
    with app.app_context():
        issue = db.session.scalars(select(ContextIssue)).one()
        party = db.session.scalars(select(InterestedParty)).one()
        issue_id, party_id, version = issue.id, party.id, issue.version
    page = client.get("/context/").get_data(as_text=True)
    assert "Cán bộ một cửa" in page and "Provincial Department of Science" in page

    edit = {"kind": "internal", "description": "Cán bộ một cửa luân chuyển 6 tháng một lần",
            "effect": "Hồ sơ dễ bị trễ hạn khi bàn giao", "review_on": "2026-12-31",
            "status": "active", "version": version}
    assert client.post(f"/context/issues/{issue_id}/edit", data=edit).status_code == 302
    # The same form again, made on the version before: someone else's change is kept.
    assert client.post(f"/context/issues/{issue_id}/edit", data=edit).status_code == 409
    assert client.post(f"/context/parties/{party_id}/reviewed", data={
        "next_review_on": "2027-06-30", "version": version_of(app, InterestedParty, party_id)}
    ).status_code == 302
    with app.app_context():
        party = db.session.get(InterestedParty, party_id)
        assert (party.reviewed_on, party.review_on) == (date(2026, 6, 15), date(2027, 6, 30))
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_type.in_(("context_issue", "interested_party")))
            .order_by(AuditEvent.seq)).all()
    assert actions == ["context_issue.create", "interested_party.create",
                       "context_issue.edit", "interested_party.review"]


def test_bad_input_comes_back_at_its_field_and_staff_do_not_read_the_context(
        app, client, as_role, make, clock):
    coordinator = make.user(roles=["coordinator"])
    ids = context_records(app, coordinator.id, review_on=date(2026, 7, 1))
    as_role("coordinator")
    answer = client.post("/context/issues/new", data={
        "kind": "external", "description": "Nghị định mới về một cửa", "effect": "x",
        "review_on": "2026-01-01"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "The review date cannot be in the past." in body and "Nghị định mới" in body
    answer = client.post(f"/context/parties/{ids.party_id}/reviewed", data={
        "next_review_on": "2026-06-15", "version": version_of(app, InterestedParty,
                                                              ids.party_id)})
    assert answer.status_code == 400
    assert "The next review must come after today." in answer.get_data(as_text=True)
    client.post("/logout")
    as_role("staff")
    assert client.get("/context/").status_code == 403
    assert client.get(f"/context/issues/{ids.issue_id}").status_code == 403


def test_the_edit_forms_as_the_pages_offer_them_save_and_without_their_version_do_not(
        app, client, as_role, make, clock):
    coordinator = as_role("coordinator")
    ids = context_records(app, coordinator.id, review_on=date(2026, 7, 1))
    objective = objective_with_plan(app, make.department().id, coordinator_id=coordinator.id,
                                    owner_id=coordinator.id, year=2025)
    for page, action, changes in [
            (f"/context/issues/{ids.issue_id}", f"/context/issues/{ids.issue_id}/edit",
             {"effect": "Phải cập nhật quy trình trong 15 ngày"}),
            (f"/context/parties/{ids.party_id}", f"/context/parties/{ids.party_id}/reviewed",
             {"next_review_on": "2027-01-31"}),
            (f"/objectives/{objective.objective_id}/edit",
             f"/objectives/{objective.objective_id}/edit", {"target": "98"}),
            (f"/objectives/{objective.objective_id}",
             f"/objectives/{objective.objective_id}/evaluate",
             {"result": "achieved", "comment": "Đạt 100%"})]:
        assert_refused_without_version(app, client, action, offered(client, page, action),
                                       changes)
