"""Management reviews: record, actions through their lifecycle, the input pack parsed back."""

from __future__ import annotations

from datetime import date

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.reports import queries
from compliance.reports.periods import Period
from tests.reports.test_six_monthly import build_half_year, pdf_text


def _record_review(client, owner_id: int) -> tuple[int, int]:
    response = client.post("/management-reviews/new", data={
        "held_on": "2026-01-20", "period_start": "2025-07-01", "period_end": "2025-12-31",
        "chair": "Chủ tịch UBND huyện Thanh Bình", "summary": "Hệ thống vận hành ổn định"})
    assert response.status_code == 302
    review_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    for text in ("Nâng cấp trang thiết bị bộ phận một cửa", "Tập huấn cán bộ về ISO"):
        assert client.post(f"/management-reviews/{review_id}/actions", data={
            "description": text, "owner_id": owner_id, "due_on": "2026-05-31"}).status_code == 302
    from compliance.reports.models import ReviewAction

    with client.application.app_context():
        action_ids = db.session.scalars(db.select(ReviewAction.id)
                                        .where(ReviewAction.review_id == review_id)
                                        .order_by(ReviewAction.id)).all()
    return review_id, action_ids


def test_actions_go_open_to_done_or_cancelled_and_stay_there(app, client, make, login):
    coordinator = make.user(roles=["coordinator"])
    login(client, coordinator.email)
    review_id, (first, second) = _record_review(client, coordinator.id)
    url = f"/management-reviews/{review_id}/actions"
    assert client.post(f"{url}/{first}", data={"status": "open", "version": 1,
                                               "outcome_note": "Đang mua sắm"}).status_code == 302
    assert client.post(f"{url}/{first}", data={"status": "done", "version": 2,
                                               "outcome_note": "Đã lắp đặt"}).status_code == 302
    assert client.post(f"{url}/{first}", data={"status": "open", "version": 3}
                       ).status_code == 409
    # Cancelling needs the reason.
    assert client.post(f"{url}/{second}", data={"status": "cancelled", "version": 1}
                       ).status_code == 400
    assert client.post(f"{url}/{second}", data={"status": "cancelled", "version": 1,
                                                "outcome_note": "Gộp vào kế hoạch 2026"}
                       ).status_code == 302
    assert client.post(f"{url}/{second}", data={"status": "bogus"}).status_code == 400
    assert client.post(f"{url}/999999", data={"status": "done", "version": 1}).status_code == 404
    page = client.get(f"/management-reviews/{review_id}").get_data(as_text=True)
    assert "Đã lắp đặt" in page and "Gộp vào kế hoạch 2026" in page
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.seq)
                                     .where(AuditEvent.action.like("management_review%"))).all()
    assert actions == ["management_review.create", "management_review.action_add",
                       "management_review.action_add", "management_review.action_open",
                       "management_review.action_done", "management_review.action_cancelled"]


def test_a_stale_or_missing_version_is_refused_and_nothing_is_written(app, client, make,
                                                                     login):
    from compliance.reports.models import ReviewAction

    coordinator = make.user(roles=["coordinator"])
    login(client, coordinator.email)
    review_id, (action_id, _other) = _record_review(client, coordinator.id)
    page = client.get(f"/management-reviews/{review_id}").get_data(as_text=True)
    assert 'name="version" value="1"' in page
    url = f"/management-reviews/{review_id}/actions/{action_id}"
    # Two people opened the page; the first saves, the second's save comes too late.
    assert client.post(url, data={"status": "open", "version": 1,
                                  "outcome_note": "Đang lập dự toán"}).status_code == 302
    late = client.post(url, data={"status": "done", "version": 1, "outcome_note": "Xong"})
    assert late.status_code == 409
    assert "Someone else changed this record" in late.get_data(as_text=True)
    assert client.post(url, data={"status": "done", "outcome_note": "Xong"}).status_code == 409
    with app.app_context():
        action = db.session.get(ReviewAction, action_id)
        assert (action.status, action.outcome_note, action.version) == (
            "open", "Đang lập dự toán", 2)
        done = db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.action == "management_review.action_done")).all()
    assert done == []
    assert 'name="version" value="2"' in client.get(
        f"/management-reviews/{review_id}").get_data(as_text=True)


def test_bad_review_input_is_refused(client, make, login):
    login(client, make.user(roles=["admin"]).email)
    response = client.post("/management-reviews/new", data={
        "held_on": "2026-01-20", "period_start": "2026-07-01", "period_end": "2026-06-30",
        "chair": "Chủ tịch"})
    assert response.status_code == 400
    assert "must not end before it starts" in response.get_data(as_text=True)
    assert client.get("/management-reviews/input-pack.pdf?start=2026-13-01").status_code == 400
    assert client.get("/management-reviews/input-pack.pdf?start=2026-07-01&end=2026-01-01") \
        .status_code == 400


def test_input_pack_counts_and_pdf(app, client, make, login):
    case = build_half_year(app, make)
    login(client, case.coordinator.email)
    review_id, _actions = _record_review(client, case.coordinator.id)
    with app.test_request_context():
        pack = queries.input_pack(Period(date(2026, 1, 1), date(2026, 6, 30)))
        assert pack.last_review.id == review_id
        assert [(r.label.month, r.opened, r.closed, r.overdue) for r in pack.months] == [
            (1, 1, 0, 1), (2, 0, 0, 1), (3, 0, 0, 1), (4, 0, 0, 1), (5, 0, 0, 1), (6, 3, 1, 2)]
        assert {r.label: (r.opened, r.closed, r.overdue) for r in pack.by_grade} == {
            "major": (3, 0, 2), "minor": (1, 1, 0)}
        assert [(r.label.code, r.opened, r.closed, r.overdue) for r in pack.by_department] == [
            ("TP", 4, 1, 2)]
        assert len(pack.audits) == 2 and len(pack.reviews_overdue) == 2
    texts = {}
    for lang in ("vi", "en"):
        response = client.get(f"/management-reviews/input-pack.pdf?start=2026-01-01"
                              f"&end=2026-06-30&lang={lang}")
        assert response.status_code == 200
        texts[lang] = pdf_text(response.data)
    assert "Management review input pack" in texts["en"]
    # The Vietnamese pack is a report in the state's format (issue 17, item 3).
    assert "BÁO CÁO Thông tin đầu vào cho xem xét của lãnh đạo" in texts["vi"]
    for text in texts.values():
        assert "Nâng cấp trang thiết bị bộ phận một cửa" in text
        assert "Chủ tịch UBND huyện Thanh Bình" in text
        assert "Quy trình cấp giấy chứng nhận quyền sử dụng đất" in text
    assert "Results of internal audits" in texts["en"]
    assert "Kết quả đánh giá nội bộ" in texts["vi"]
