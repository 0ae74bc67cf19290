"""A refused form comes back as the same form: a 4xx, the message at the field it concerns,
and everything typed still there (never a bare error page)."""

from __future__ import annotations

import html
import re

from tests.documents.helpers import create_document
from tests.documents.test_rules import Setup, _make_effective
from tests.factories import PASSWORD


def field_html(page: str, name: str, form_action: str | None = None) -> str:
    """The markup from a field's input to the next field (where its message is shown)."""
    if form_action is not None:
        page = page[page.index(f'action="{form_action}"'):]
    start = page.index(f'name="{name}"')
    following = re.search(r'name="(?!' + re.escape(name) + r'")[a-z_]+"', page[start + 1:])
    return page[start:start + 1 + following.start()] if following else page[start:]


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_empty_review_comment_shows_the_document_page_with_the_message_at_the_comment(
        app, make, login):
    s = Setup(app, make, login)
    _make_effective(s)
    response = s.author.post(f"/documents/{s.doc_id}/review",
                             data={"outcome": "revise", "comment": "   "})
    assert response.status_code == 400
    page = _text(response)
    assert "Write a comment for the review record." in field_html(page, "comment")
    # The choice made is kept, and it is the document page, not an error page.
    assert re.search(r'checked[^>]*value="revise"|value="revise"[^>]*checked', page)
    assert "data-testid=\"revisions\"" in page


def test_too_long_review_comment_keeps_what_was_typed(app, make, login):
    s = Setup(app, make, login)
    _make_effective(s)
    typed = "Cần cập nhật biểu phí " * 300
    response = s.author.post(f"/documents/{s.doc_id}/review",
                             data={"outcome": "no_change", "comment": typed})
    assert response.status_code == 400
    assert typed.strip() in _text(response)


def test_review_of_a_document_not_in_force_keeps_its_own_page(app, make, login):
    s = Setup(app, make, login)
    response = s.author.post(f"/documents/{s.doc_id}/review",
                             data={"outcome": "no_change", "comment": "Vẫn phù hợp"})
    assert response.status_code == 409
    assert "no revision in force" in _text(response)


def test_obsolete_without_a_reason_opens_the_form_with_the_message(app, make, login):
    s = Setup(app, make, login)
    _make_effective(s)
    response = s.coordinator.post(f"/documents/{s.doc_id}/obsolete", data={
        "reason": "", "password": PASSWORD, "version": s.version()})
    assert response.status_code == 400
    page = _text(response)
    assert "Give the reason why the document is withdrawn." in field_html(
        page, "reason", form_action=f"/documents/{s.doc_id}/obsolete")
    assert re.search(r"<details[^>]*open", page)


def _in_review(s):
    s.upload()
    rev, _ = s.latest()
    s.author.post(s.url(rev, "submit"))
    return rev


def test_wrong_signature_password_is_shown_at_the_password_with_the_comment_kept(
        app, make, login):
    s = Setup(app, make, login)
    rev = _in_review(s)
    response = s.coordinator.post(s.url(rev, "sign"), data={
        "meaning": "reviewed", "password": "not mine", "comment": "Đã soát xét nội dung"})
    assert response.status_code == 400
    page = _text(response)
    sign_action = s.url(rev, "sign")
    assert "The password is not correct" in field_html(page, "password", sign_action)
    assert "Đã soát xét nội dung" in page
    assert re.search(r'checked[^>]*value="reviewed"|value="reviewed"[^>]*checked', page)
    assert s.latest() == (rev, "in_review")


def test_effective_date_in_the_past_is_shown_at_the_date(app, make, login):
    from datetime import timedelta

    from compliance.core import clock

    s = Setup(app, make, login)
    rev = _in_review(s)
    past = (clock.today() - timedelta(days=3)).isoformat()
    response = s.coordinator.post(s.url(rev, "sign"), data={
        "meaning": "approved", "password": PASSWORD, "effective_date": past,
        "comment": "Ban hành"})
    assert response.status_code == 400
    page = _text(response)
    assert "cannot be in the past" in field_html(page, "effective_date", s.url(rev, "sign"))
    assert past in page and "Ban hành" in page


def test_impossible_effective_date_says_the_date_is_not_valid(app, make, login):
    s = Setup(app, make, login)
    rev = _in_review(s)
    response = s.coordinator.post(s.url(rev, "sign"), data={
        "meaning": "approved", "password": PASSWORD, "effective_date": "2026-02-31"})
    assert response.status_code == 400
    field = field_html(_text(response), "effective_date", s.url(rev, "sign"))
    assert "2026-02-31" in field
    assert "valid date" in field and "required" not in field


def test_reject_without_a_reason_shows_the_signing_page_with_the_message(app, make, login):
    s = Setup(app, make, login)
    rev = _in_review(s)
    response = s.coordinator.post(s.url(rev, "reject"), data={"comment": "", "password": "x"})
    assert response.status_code == 400
    page = _text(response)
    assert "Say why the revision is rejected." in field_html(page, "comment",
                                                             s.url(rev, "reject"))
    # The signing form beside it stays empty and posts to its own address.
    assert f'action="{s.url(rev, "sign")}"' in page


def test_reject_with_a_wrong_password_keeps_the_reason(app, make, login):
    s = Setup(app, make, login)
    rev = _in_review(s)
    response = s.coordinator.post(s.url(rev, "reject"), data={
        "comment": "Thiếu phụ lục", "password": "not mine"})
    assert response.status_code == 400
    page = _text(response)
    assert "The password is not correct" in field_html(page, "password", s.url(rev, "reject"))
    assert "Thiếu phụ lục" in page
    assert s.latest() == (rev, "in_review")


def test_upload_without_a_summary_names_it(app, make, login):
    s = Setup(app, make, login)
    response = s.upload(summary="")
    assert response.status_code == 400
    assert "Describe what changed in this revision." in field_html(_text(response),
                                                                   "change_summary")


def test_refused_file_is_shown_at_the_file_with_the_summary_kept(app, make, login):
    s = Setup(app, make, login)
    response = s.upload(content=b"<html><script>x</script></html>", filename="a.pdf",
                        summary="Bản sửa đổi lần hai")
    assert response.status_code == 415  # not a kind of file the register takes
    page = _text(response)
    assert "invalid-feedback" in field_html(page, "file")
    assert "Bản sửa đổi lần hai" in page


def test_upload_to_an_obsolete_document_says_why(app, make, login):
    s = Setup(app, make, login)
    _make_effective(s)
    assert s.obsolete().status_code == 302
    response = s.upload(client=s.coordinator, summary="Thử lại")
    assert response.status_code == 400
    page = _text(response)
    assert "obsolete; it cannot be revised" in page and "Thử lại" in page


def test_duplicate_code_is_shown_at_the_code_with_the_title_kept(app, make, login):
    s = Setup(app, make, login)
    create_document(s.coordinator, s.dept.id, s.head.id, code="QT-VP-99")
    response = create_document(s.coordinator, s.dept.id, s.head.id, code="qt-vp-99",
                               title_vi="Quy trình tiếp nhận hồ sơ")
    assert response.status_code == 400
    page = _text(response)
    assert "The code QT-VP-99 is already used." in field_html(page, "code")
    assert "Quy trình tiếp nhận hồ sơ" in page


def test_missing_title_names_it(app, make, login):
    s = Setup(app, make, login)
    response = create_document(s.author, s.dept.id, s.head.id, title_vi="",
                               title_en="Kept in English")
    assert response.status_code == 400
    page = _text(response)
    assert "A Vietnamese title is required." in field_html(page, "title_vi")
    assert "Kept in English" in page
