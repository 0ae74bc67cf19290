"""On-time handling of procedures (issue 17, item 5): the monthly CSV import of the
one-stop-shop software (every wrong line named and nothing written; a month imported again
refused, then replaced once confirmed), the rates per procedure and per department, the
linked measure fed, and the public register's rate over the last 12 months."""

from __future__ import annotations

import io
from types import SimpleNamespace

from sqlalchemy import func, select

from compliance.core.extensions import db
from compliance.quality.measures.models import MeasureValue
from compliance.scope.models import HandlingMonth
from tests.conftest import do_login
from tests.quality.measures.helpers import measure
from tests.scope.helpers import scope_entry

GOOD = ("code;month;received;on_time;late;apologies\n"
        "1.001193;2026-04;40;38;2;2\n"
        "1.001193;2026-05;60;57;3;3\n"
        "2.000815;2026-05;100;80;20;5\n")
WRONG = ("code,month,received,on_time,late,apologies\n"
         "9.999999,2026-05,1,1,0,0\n"       # no such procedure
         "1.001193,2026-07,5,5,0,0\n"       # a month not begun (today is 15 June 2026)
         "1.001193,2026-04,5,6,0,0\n"       # more settled than received
         "1.001193,2026-03,4,x,0,0\n"       # not a count
         "2.000815,2026-05,1,1,0,0\n")      # the one good line: not written either


def _post(client, text: str, replace: bool = False):
    data = {"file": (io.BytesIO(text.encode()), "motcua-2026-05.csv")}
    if replace:
        data["replace"] = "y"
    return client.post("/scope/handling/import", data=data,
                       content_type="multipart/form-data")


def _count(app, model=HandlingMonth) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_monthly_import_rates_measure_and_public_register(app, client, make, clock):
    department = make.department(code="TP", name_vi="Phòng Tư pháp", name_en="Justice Office")
    coordinator = make.user(roles=["coordinator"])
    people = SimpleNamespace(coordinator=coordinator, recorder=coordinator,
                             process=make.process(department.id, code="TTHC-TP-01"))
    measure_id = measure(app, people, code="KPI-TP-01", ratio=True, frequency="monthly")
    scope_entry(app, coordinator.id, department.id, name="Chứng thực bản sao từ bản chính",
                code="2.000815")
    do_login(client, coordinator.email)
    # The procedure linked to the measure through the scope entry's form.
    assert client.post("/scope/new", data={
        "kind": "procedure", "name": "Đăng ký khai sinh", "national_code": "1.001193",
        "department_id": department.id, "measure_id": measure_id}).status_code == 302

    refused = _post(client, WRONG)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Nothing was imported: 4 lines of the file are wrong." in page
    for line, why in ((2, "no procedure in scope has the code “9.999999”"),
                      (3, "the month 2026-07 has not begun"),
                      (4, "more dossiers settled (6) than received (5)"),
                      (5, "the counts must be whole numbers, 0 or more")):
        assert f"Line {line}: {why}" in page
    assert _count(app) == 0 and _count(app, MeasureValue) == 0

    assert _post(client, GOOD).status_code == 302
    page = client.get("/scope/handling/").get_data(as_text=True)
    assert "95.0%" in page       # Đăng ký khai sinh: 95 of 100
    assert "80.0%" in page       # Chứng thực: 80 of 100
    assert "87.5%" in page       # the department: 175 of 200
    with app.app_context():
        fed = {v.period: (v.received, v.on_time, v.late, v.value, v.missed)
               for v in db.session.scalars(select(MeasureValue))}
    assert fed == {"2026-04": (40, 38, 2, 95.0, False), "2026-05": (60, 57, 3, 95.0, False)}

    again = "code,month,received,on_time,late,apologies\n1.001193,2026-05,60,50,10,10\n"
    conflict = _post(client, again)
    assert conflict.status_code == 409
    assert "Already imported: 2026-05." in conflict.get_data(as_text=True)
    assert _count(app) == 3
    assert _post(client, again, replace=True).status_code == 302
    # The whole month is replaced: Chứng thực's May is gone with the file that brought it.
    assert _count(app) == 2
    with app.app_context():
        may = db.session.scalar(select(MeasureValue).where(MeasureValue.period == "2026-05"))
        assert (may.on_time, may.value, may.missed) == (50, 83.33, True)

    public = client.get("/public/").get_data(as_text=True)
    assert "88.0% settled on time over the last 12 months (100 dossiers received)" in public
