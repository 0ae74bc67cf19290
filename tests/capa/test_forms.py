"""A refused corrective-action form comes back as the same form: the message at the field it
concerns, naming the problem, with what was typed kept; never a bare "Error 400" page."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import escape

from compliance.core import clock
from tests.audits.helpers import cast
from tests.capa.helpers import ca_in_state, shown_version


def _client(app, login, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, user.email)
    return client


def _setup(app, make, login, state: str, **extra):
    people = cast(make)
    people.staff = make.user(name="Lê Văn Bình", departments=[(people.dept.id, "staff")])
    ids = ca_in_state(app, people.dept.id, state, coordinator_id=people.coordinator.id,
                      owner_id=people.staff.id, today=clock.today(), **extra)
    return people, ids, _client(app, login, people.head)


def _field_html(body: str, name: str, form: str = "") -> str:
    """The markup from a field's input to the next field's (where its message is shown), in
    the form posting to `form` when given."""
    start = body.index(f'name="{name}"', body.index(f'action="{form}"') if form else 0)
    other_field = re.compile(r'name="(?!' + re.escape(name) + r'")[a-z_0-9]+"')
    following = other_field.search(body[start + 1:])
    return body[start: start + 1 + following.start()] if following else body[start:]


def _is_the_page_not_an_error_page(body: str, action: str):
    assert f'action="{action}"' in body, "the form is shown again"
    assert 'data-testid="error-message"' not in body


def test_an_impossible_due_date_is_named_at_the_due_date_with_the_input_kept(app, make, login):
    people, ids, head = _setup(app, make, login, "analysed")
    url = f"/corrective-actions/{ids.ca_id}/actions"
    response = head.post(url, data={"description": "Lập sổ theo dõi hạn",
                                    "owner_id": people.staff.id, "document_id": 0,
                                    "due_on": "31/02/2026"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    _is_the_page_not_an_error_page(body, url)
    at_due = _field_html(body, "due_on")
    assert escape("“31/02/2026” is not a valid date.", quote=False) in at_due
    assert 'value="31/02/2026"' in at_due
    assert "This field is required" not in body
    assert "Lập sổ theo dõi hạn" in body


def test_a_missing_owner_is_named_at_the_owner_field(app, make, login):
    _people, ids, head = _setup(app, make, login, "analysed")
    url = f"/corrective-actions/{ids.ca_id}/actions"
    due = (clock.today() + timedelta(days=7)).isoformat()
    response = head.post(url, data={"description": "Lập sổ", "document_id": 0, "due_on": due})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    _is_the_page_not_an_error_page(body, url)
    assert "Choose who owns this action." in _field_html(body, "owner_id")
    assert "Not a valid choice" not in body
    assert f'value="{due}"' in body


def test_a_missing_due_date_says_to_give_it(app, make, login):
    people, ids, head = _setup(app, make, login, "analysed")
    response = head.post(f"/corrective-actions/{ids.ca_id}/actions", data={
        "description": "Lập sổ", "owner_id": people.staff.id, "document_id": 0, "due_on": ""})
    assert response.status_code == 400
    assert "Give the due date." in _field_html(response.get_data(as_text=True), "due_on")


def test_a_due_date_in_the_past_is_refused_at_the_field_with_the_input_kept(app, make, login):
    people, ids, head = _setup(app, make, login, "analysed")
    url = f"/corrective-actions/{ids.ca_id}/actions"
    past = (clock.today() - timedelta(days=1)).isoformat()
    response = head.post(url, data={"description": "Lập sổ cũ", "owner_id": people.staff.id,
                                    "document_id": 0, "due_on": past})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    _is_the_page_not_an_error_page(body, url)
    assert "The due date cannot be in the past." in _field_html(body, "due_on")
    assert "Lập sổ cũ" in body and 'data-testid="refused"' in body


def test_a_correction_dated_in_the_future_or_an_impossible_date_is_shown_again(app, make,
                                                                             login):
    _people, ids, head = _setup(app, make, login, "open")
    url = f"/corrective-actions/{ids.ca_id}/contain"
    future = (clock.today() + timedelta(days=1)).isoformat()
    for typed, message in ((future, "The correction date cannot be in the future."),
                           ("2026-13-01", "“2026-13-01” is not a valid date.")):
        response = head.post(url, data={"correction": "Đã trả hồ sơ", "corrected_on": typed,
                                        **shown_version(app, ids.ca_id)})
        body = response.get_data(as_text=True)
        assert response.status_code == 400
        _is_the_page_not_an_error_page(body, url)
        assert escape(message, quote=False) in _field_html(body, "corrected_on")
        assert "Đã trả hồ sơ" in body


def test_an_analysis_without_the_root_cause_says_so_under_the_first_why(app, make, login):
    _people, ids, head = _setup(app, make, login, "contained")
    url = f"/corrective-actions/{ids.ca_id}/analyse"
    response = head.post(url, data={"ishikawa": "method", "extent": "Chỉ ở phòng này",
                                    **shown_version(app, ids.ca_id)})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    _is_the_page_not_an_error_page(body, url)
    assert "root cause" in _field_html(body, "why1")
    assert "Chỉ ở phòng này" in body
    missing = head.post(url, data={"why1": "Không có sổ", "extent": "Không"})
    assert missing.status_code == 400
    assert "Choose the Ishikawa category of the root cause." in \
        _field_html(missing.get_data(as_text=True), "ishikawa")


def test_a_check_without_the_evidence_its_grade_needs_keeps_the_notes(app, make, login):
    people, ids, _head = _setup(app, make, login, "verifying")
    coordinator = _client(app, login, people.coordinator)
    url = f"/corrective-actions/{ids.ca_id}/check"
    response = coordinator.post(url, data={"result": "effective", "notes": "Đã xem 20 hồ sơ"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    _is_the_page_not_an_error_page(body, url)
    assert "attach a file" in _field_html(body, "file", url)
    assert "Đã xem 20 hồ sơ" in body
    no_result = coordinator.post(url, data={"notes": "Đã xem"})
    assert no_result.status_code == 400
    assert "Choose whether the actions were effective." in no_result.get_data(as_text=True)


def test_an_empty_decision_and_a_refused_upload_show_the_page_again(app, make, login):
    _people, ids, head = _setup(app, make, login, "open", grade="observation")
    decision = head.post(f"/corrective-actions/{ids.ca_id}/decision", data={"decision": ""})
    assert decision.status_code == 400
    _is_the_page_not_an_error_page(decision.get_data(as_text=True),
                                   f"/corrective-actions/{ids.ca_id}/decision")
    url = f"/corrective-actions/{ids.ca_id}/files"
    bad = head.post(url, data={"file": (io.BytesIO(b"<html></html>"), "x.pdf")},
                    content_type="multipart/form-data")
    body = bad.get_data(as_text=True)
    assert bad.status_code == 415
    _is_the_page_not_an_error_page(body, url)
    assert "not accepted" in _field_html(body, "file")
    empty = head.post(url, data={})
    assert empty.status_code == 400
    assert "Choose a file." in _field_html(empty.get_data(as_text=True), "file")


def test_a_refused_done_form_opens_only_in_its_own_row(app, make, login):
    people, ids, _head = _setup(app, make, login, "actions_in_progress")
    staff = _client(app, login, people.staff)
    url = f"/corrective-actions/{ids.ca_id}/actions/{ids.action_id}/done"
    response = staff.post(url, data={"note": "x" * 5001})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    _is_the_page_not_an_error_page(body, url)
    assert "5000" in _field_html(body, "note")


def test_raising_by_hand_refused_names_the_field_and_keeps_the_problem(app, make, login):
    people = cast(make)
    staff = make.user(departments=[(people.dept.id, "staff")])
    head = _client(app, login, people.head)
    data = {"source": "process", "department_id": people.dept.id, "grade": "major",
            "problem": "Hồ sơ trả chậm ở bộ phận một cửa", "verifier_id": staff.id}
    response = head.post("/corrective-actions/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'data-testid="error-message"' not in body
    assert "Choose the verifier among those listed." in _field_html(body, "verifier_id")
    assert "Hồ sơ trả chậm ở bộ phận một cửa" in body
    theirs = head.post("/corrective-actions/new", data={**data, "verifier_id": 0,
                                                        "department_id": people.other.id})
    assert theirs.status_code == 400
    assert "Choose one of your departments." in \
        _field_html(theirs.get_data(as_text=True), "department_id")
    assert 'data-testid="error-message"' not in theirs.get_data(as_text=True)


def test_a_version_that_cannot_be_read_is_shown_on_the_form_not_lost(app, make, login):
    _people, ids, head = _setup(app, make, login, "open")
    url = f"/corrective-actions/{ids.ca_id}/contain"
    response = head.post(url, data={"correction": "Đã trả hồ sơ",
                                    "corrected_on": clock.today().isoformat(),
                                    "version": "abc"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    _is_the_page_not_an_error_page(body, url)
    assert "Not a valid integer value." in body and "Đã trả hồ sơ" in body
