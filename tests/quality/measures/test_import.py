"""CSV import: the preview shows every row to be written and every row refused with its
reason, nothing is written until confirmed, and then all of it or nothing."""

from __future__ import annotations

import io
import json
import re

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.notifications.models import Notification
from compliance.quality.measures.models import MeasureImport, MeasureValue
from tests.conftest import do_login
from tests.quality.measures.helpers import cast, measure, record, value_count

CSV = """measure,period,value,received,on_time,late,note
KPI-TP-01,2026-02,96,,,,
KPI-TP-01,2026-03,90,,,,tháng 3 trễ
kpi-tp-02,2026-03,,100,97,3,
NOPE-1,2026-03,90,,,,
KPI-TP-01,2026-09,90,,,,
KPI-TP-01,2025-12,90,,,,
KPI-TP-01,2026-13,90,,,,
KPI-TP-01,2026-Q2,90,,,,
KPI-TP-01,2026-04,n/a,,,,
KPI-TP-01,2026-05,91,,,,
KPI-TP-01,2026-05,92,,,,
KPI-TP-01,2026-01,95,,,,
KPI-TP-02,2026-04,,10,11,,
KPI-VP-01,2026-03,99,,,,
KPI-TP-01,2026-04
"""
REFUSED = {5: "unknown_measure", 6: "out_of_range", 7: "out_of_range", 8: "bad_period",
           9: "wrong_frequency", 10: "not_a_number", 11: "duplicate_in_file",
           12: "duplicate_in_file", 13: "already_recorded", 14: "counts", 15: "not_allowed",
           16: "columns"}


def _world(app, make):
    people = cast(make)
    measure(app, people, code="KPI-TP-01")
    measure(app, people, code="KPI-TP-02", ratio=True)
    measure(app, people, code="KPI-VP-01", process_id=make.process(people.other.id).id)
    record(app, people.recorder.id, 1, "2026-01", value="95")
    client = app.test_client()
    assert do_login(client, people.head.email).status_code == 302
    return people, client


def _upload(client, text: str, name: str = "thang.csv", encoding: str = "utf-8"):
    return client.post("/measures/import", data={"file": (io.BytesIO(text.encode(encoding)),
                                                          name)},
                       content_type="multipart/form-data")


def _lines(page: str, table: str) -> dict[int, str | None]:
    body = re.search(rf'data-testid="{table}".*?</table>', page, re.S).group(0)
    return {int(line): reason for line, reason in re.findall(
        r'<tr data-line="(\d+)"(?: data-reason="([a-z_]+)")?', body)}


def test_the_preview_refuses_each_bad_row_and_writes_nothing_until_confirmed(app, make,
                                                                           clock):
    people, client = _world(app, make)
    response = _upload(client, CSV)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    assert value_count(app) == 1  # uploaded and previewed: nothing written yet
    page = client.get(preview_url).get_data(as_text=True)
    assert _lines(page, "accepted-rows") == {2: "", 3: "", 4: ""}
    assert _lines(page, "refused-rows") == REFUSED
    assert "No active measure has this code." in page
    assert "97 %" in page  # the ratio, computed: 97 of 100 on time
    # Someone else (even a coordinator) sees the preview but only the uploader confirms.
    other = app.test_client()
    do_login(other, people.coordinator.email)
    assert other.get(preview_url).status_code == 200
    assert other.post(f"{preview_url}/confirm").status_code == 403
    assert value_count(app) == 1

    response = client.post(f"{preview_url}/confirm")
    assert response.status_code == 302
    with app.app_context():
        rows = {(v.measure_id, v.period): (v.value, v.missed, v.source, v.note)
                for v in db.session.scalars(select(MeasureValue).where(
                    MeasureValue.source == "import"))}
        assert rows == {(1, "2026-02"): (96.0, False, "import", ""),
                        (1, "2026-03"): (90.0, True, "import", "tháng 3 trễ"),
                        (2, "2026-03"): (97.0, False, "import", "")}
        upload = db.session.scalar(select(MeasureImport))
        assert (upload.status, upload.rows_written, upload.rows_refused) == ("confirmed", 3, 12)
        (event,) = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "measure_import.confirm"))
        assert json.loads(event.after_json)["values"] == {"KPI-TP-01": ["2026-02", "2026-03"],
                                                          "KPI-TP-02": ["2026-03"]}
        # The miss is announced to the coordinators (the head, who imported it, knows).
        notes = db.session.scalars(select(Notification.user_id).where(
            Notification.kind == "measure_missed")).all()
        assert notes == [people.coordinator.id]
    written = client.get(preview_url).get_data(as_text=True)
    assert "3 values written on" in written and "12 rows were refused." in written
    assert client.post(f"{preview_url}/confirm").status_code == 409  # not twice


def test_a_change_since_the_preview_writes_nothing_at_all(app, make, clock):
    people, client = _world(app, make)
    preview_url = _upload(client, CSV).headers["Location"]
    # Meanwhile one of the file's periods is recorded by hand.
    record(app, people.recorder.id, 1, "2026-02", value="99")
    response = client.post(f"{preview_url}/confirm")
    assert response.status_code == 409
    assert "nothing was written" in response.get_data(as_text=True)
    assert value_count(app) == 2  # the first value and the one typed in: none of the file's
    with app.app_context():
        assert db.session.scalar(select(MeasureImport.status)) == "previewed"


def test_a_file_that_cannot_be_read_is_refused_at_the_file_field(app, make, clock):
    _people, client = _world(app, make)
    cases = [("measure;period;valeur\n", "utf-8", "Unknown or repeated columns: valeur"),
             ("measure,value\n", "utf-8", "measure and period"),
             ("measure,period,value\nKPI-TP-01,2026-02,chín\n", "utf-16", "CSV text"),
             ("measure,period,value\nKPI-TP-01,2026-02,chín\n", "cp1258", "not UTF-8"),
             ("", "utf-8", "empty")]
    for text, encoding, message in cases:
        response = _upload(client, text, encoding=encoding)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, message
        field = page[page.index('name="file"'):][:400]
        assert message in field, (message, field)
    with app.app_context():
        assert db.session.scalar(select(MeasureImport.id)) is None
