"""Recording values through the pages: a met target, a missed one marked and announced, a
corrective action raised from it, refusals at their field with the input kept."""

from __future__ import annotations

import io
import json
import re

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.capa.models import CorrectiveAction
from compliance.core.extensions import db
from compliance.notifications.models import Notification
from compliance.quality.measures.models import MeasureValue
from tests.conftest import do_login
from tests.quality.measures.helpers import PNG, cast, measure, value_count


def _signed_in(app, user):
    client = app.test_client()
    assert do_login(client, user.email).status_code == 302
    return client


def _value(app, value_id: int) -> MeasureValue:
    with app.app_context():
        value = db.session.get(MeasureValue, value_id)
        db.session.expunge(value)
        return value


def _notes(app, kind: str) -> dict[int, dict]:
    with app.app_context():
        return {n.user_id: json.loads(n.params) for n in db.session.scalars(
            select(Notification).where(Notification.kind == kind))}


def _field(page: str, name: str) -> str:
    """The HTML of one input and the messages just after it."""
    start = page.index(f'name="{name}"')
    return page[start:start + 600]


def test_a_met_target_is_recorded_quietly(app, make, clock):
    people = cast(make)
    measure_id = measure(app, people)
    client = _signed_in(app, people.recorder)
    page = client.get(f"/measures/{measure_id}").get_data(as_text=True)
    assert 'value="2026-05"' in page  # the last period over is offered
    response = client.post(f"/measures/{measure_id}/values",
                           data={"period": "2026-05", "value": "97,5", "note": "Đủ hồ sơ"})
    assert response.status_code == 302
    value_id = int(response.headers["Location"].rsplit("/", 1)[1])
    value = _value(app, value_id)
    assert (value.value, value.target, value.missed, value.source) == (97.5, 95.0, False,
                                                                        "form")
    assert _notes(app, "measure_missed") == {}
    with app.app_context():
        (event,) = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "measure_value.record"))
        assert event.entity_id == str(measure_id) and event.actor_id == people.recorder.id


def test_a_missed_target_is_marked_announced_and_raises_a_corrective_action(app, make,
                                                                           clock):
    people = cast(make)
    measure_id = measure(app, people)
    recorder = _signed_in(app, people.recorder)
    response = recorder.post(f"/measures/{measure_id}/values", data={
        "period": "2026-04", "value": "88", "file": (io.BytesIO(PNG), "so.png")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    value_url = response.headers["Location"]
    value_id = int(value_url.rsplit("/", 1)[1])
    # Marked on the measure's page and on the value's.
    listing = recorder.get(f"/measures/{measure_id}").get_data(as_text=True)
    row = re.search(r'<tr data-testid="value-2026-04" class="table-danger">.*?</tr>', listing,
                    re.S).group(0)
    assert "Target missed" in row
    page = recorder.get(value_url).get_data(as_text=True)
    assert 'data-testid="missed"' in page and "so.png" in page
    assert "Raise a corrective action" not in page  # staff do not raise them
    assert recorder.get(f"{value_url}/evidence").data == PNG
    # The process owner (the head) and the coordinator hear of it, the recorder does not.
    notes = _notes(app, "measure_missed")
    assert set(notes) == {people.head.id, people.coordinator.id}
    assert (notes[people.head.id]["value"], notes[people.head.id]["period"]) == ("88",
                                                                                 "2026-04")

    head = _signed_in(app, people.head)
    page = head.get(value_url).get_data(as_text=True)
    assert "KPI-TP-01 Dossiers settled on time: 88 % in 2026-04, target 95." in page
    response = head.post(f"{value_url}/corrective-action", data={
        "grade": "minor", "problem": "Tháng 4 trễ hạn 12%", "verifier_id": "0"})
    assert response.status_code == 302
    with app.app_context():
        ca = db.session.scalar(select(CorrectiveAction))
        assert (ca.source, ca.measure_value_id, ca.department_id, ca.raised_by_id) == \
            ("process", value_id, people.dept.id, people.head.id)
        ca_id, reference = ca.id, ca.reference
    assert response.headers["Location"].endswith(f"/corrective-actions/{ca_id}")
    ca_page = head.get(f"/corrective-actions/{ca_id}").get_data(as_text=True)
    assert f'href="/measures/{measure_id}/values/{value_id}"' in ca_page
    page = head.get(value_url).get_data(as_text=True)
    assert reference in page and "Raise a corrective action" not in page
    # Once is enough: a second raise is refused and nothing is added.
    again = head.post(f"{value_url}/corrective-action", data={
        "grade": "minor", "problem": "Lần nữa", "verifier_id": "0"})
    assert again.status_code == 409
    with app.app_context():
        assert db.session.query(CorrectiveAction).count() == 1


def test_a_ratio_is_computed_from_the_counts(app, make, clock):
    people = cast(make)
    measure_id = measure(app, people, ratio=True)
    client = _signed_in(app, people.head)
    response = client.post(f"/measures/{measure_id}/values", data={
        "period": "2026-05", "received": "120", "on_time": "111", "late": "9"})
    value = _value(app, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert (value.received, value.on_time, value.late, value.value, value.missed) == \
        (120, 111, 9, 92.5, True)


def test_bad_input_is_refused_at_its_field_with_the_input_kept(app, make, clock):
    people = cast(make)
    measure_id = measure(app, people)
    client = _signed_in(app, people.recorder)
    url = f"/measures/{measure_id}/values"
    cases = [({"period": "2026-05", "value": "chín mươi"}, "value", "not a number"),
             ({"period": "2026-13", "value": "90"}, "period", "2026-Q1"),
             ({"period": "2026-Q1", "value": "90"}, "period", "frequency"),
             ({"period": "2026-08", "value": "90"}, "period", "has not begun")]
    for data, field, message in cases:
        response = client.post(url, data={**data, "note": "giữ lại"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert message in _field(page, field), data
        assert f'value="{data[field]}"' in _field(page, field)
        assert "giữ lại" in page
    assert client.post(url, data={"period": "2026-05", "value": "90"}).status_code == 302
    twice = client.post(url, data={"period": "2026-05", "value": "91"})
    assert twice.status_code == 400
    assert "already recorded for 2026-05" in _field(twice.get_data(as_text=True), "period")
    assert value_count(app) == 1


def test_only_those_the_rules_name_record_or_read(app, make, clock):
    people = cast(make)
    measure_id = measure(app, people)
    url = f"/measures/{measure_id}"
    staff, outsider = _signed_in(app, people.staff), _signed_in(app, people.outsider)
    assert staff.get(url).status_code == 200
    assert "Record a value" not in staff.get(url).get_data(as_text=True)
    assert staff.post(f"{url}/values", data={"period": "2026-05",
                                            "value": "90"}).status_code == 403
    assert outsider.get(url).status_code == 403
    assert _signed_in(app, people.auditor).get(url).status_code == 200
    assert value_count(app) == 0
