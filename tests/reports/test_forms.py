"""A refused report or review form comes back with the reason at its field and the input kept
(form_error); refusals that are not about the form keep their own page."""

from __future__ import annotations

from compliance.core.extensions import db
from compliance.reports.models import ManagementReview
from tests.reports.helpers import review_ids

REVIEW = {"held_on": "2026-01-20", "period_start": "2025-07-01", "period_end": "2025-12-31",
          "chair": "Chủ tịch UBND huyện Thanh Bình", "summary": "Tóm tắt đã gõ"}


def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _reviews(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(ManagementReview))


def test_an_impossible_date_says_the_date_is_not_valid_and_keeps_the_input(app, client,
                                                                            as_role):
    _english(client)
    as_role("coordinator")
    response = client.post("/management-reviews/new", data={**REVIEW, "held_on": "2026-02-31"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give a valid date." in page and "This field is required" not in page
    assert "Chủ tịch UBND huyện Thanh Bình" in page and "Tóm tắt đã gõ" in page
    assert _reviews(app) == 0


def test_a_period_ending_before_it_starts_is_named_at_the_period_end(app, client, as_role):
    _english(client)
    as_role("coordinator")
    response = client.post("/management-reviews/new",
                           data={**REVIEW, "period_start": "2026-01-01",
                                 "period_end": "2025-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The period must not end before it starts." in page
    assert "Chủ tịch UBND huyện Thanh Bình" in page
    assert _reviews(app) == 0


def test_an_action_without_owner_names_the_owner_and_keeps_the_description(app, client, make,
                                                                            as_role):
    _english(client)
    as_role("coordinator")
    ids = review_ids(app, make)
    url = f"/management-reviews/{ids.review_id}/actions"
    response = client.post(url, data={"description": "Mua máy quét", "owner_id": "0",
                                      "due_on": "2026-05-31"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose who owns the action." in page and "Not a valid choice" not in page
    assert "Mua máy quét" in page
    # An owner who no longer works here is refused by the service, at the same field.
    gone = make.user(active=False)
    response = client.post(url, data={"description": "Mua máy quét", "owner_id": gone.id,
                                      "due_on": "2026-31-05"})
    assert response.status_code == 400
    assert "Give a valid date." in response.get_data(as_text=True)
    response = client.post(url, data={"description": "Mua máy quét", "owner_id": gone.id,
                                      "due_on": "2026-05-31"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose who owns the action." in page and "Mua máy quét" in page


def test_a_refused_action_update_shows_the_detail_page_with_the_reason(app, client, make,
                                                                        as_role):
    _english(client)
    as_role("coordinator")
    ids = review_ids(app, make)
    url = f"/management-reviews/{ids.review_id}/actions/{ids.action_id}"
    response = client.post(url, data={"status": "cancelled", "outcome_note": "",
                                      "version": 1})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Outcome is required." in page and 'id="actions"' in page
    response = client.post(url, data={"status": "bogus", "outcome_note": "Ghi chú đã gõ",
                                      "version": 1})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose the status of the action." in page and "Ghi chú đã gõ" in page
    assert 'name="version" value="1"' in page
    assert client.post(url, data={"status": "done", "outcome_note": "Xong",
                                  "version": 1}).status_code == 302
    # A closed action is a conflict, not a form mistake: its own page, 409.
    response = client.post(url, data={"status": "open", "outcome_note": "Lại",
                                      "version": 2})
    assert response.status_code == 409
    assert "already done or cancelled" in response.get_data(as_text=True)


def test_refused_notes_come_back_on_the_report_page_as_typed(app, client, make, as_role):
    _english(client)
    as_role("coordinator")
    department = make.department()
    too_long = "Thiếu " * 1000  # 6000 characters, over the limit of 5000
    response = client.post("/reports/six-monthly/notes", data={
        "department_id": department.id, "period": "2026-H1", "shortcomings": too_long,
        "planned_actions": "Kế hoạch đã gõ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kế hoạch đã gõ" in page and 'id="notes"' in page
    assert "5000" in page
    response = client.post("/reports/six-monthly/notes", data={
        "department_id": department.id, "period": "2026-H7", "shortcomings": "Thiếu máy",
        "planned_actions": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Unknown half-year 2026-H7" in page and "Thiếu máy" in page


def test_an_unknown_pdf_language_is_refused(client, as_role):
    _english(client)
    as_role("coordinator")
    response = client.get("/reports/six-monthly/organisation.pdf?lang=fr")
    assert response.status_code == 400
    assert "Vietnamese (vi) or English (en)" in response.get_data(as_text=True)
