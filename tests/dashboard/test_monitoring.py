"""The monitoring page (9.1.3): the coordinator sees every department's charts, a department
head their own department's, staff none; each chart's marks equal the records built."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from defusedxml.ElementTree import fromstring

from compliance.auth.models import User
from compliance.core.db import write_intent
from compliance.core.extensions import db
from tests.capa.helpers import ca_in_state
from tests.quality.objectives.helpers import objective_with_plan
from tests.quality.risks.helpers import make_risk
from tests.reports.helpers import document, local, reported_audit

NS = {"s": "http://www.w3.org/2000/svg"}
HOSTILE = "Phòng <b>Tư pháp</b> & \"Hộ tịch\""


@pytest.fixture
def world(app, make, clock):
    """Two departments (one with a hostile name), each with an objective, a risk, a document
    due for review, an open corrective action; one audit with findings in the first."""
    tp = make.department(code="TP", name_vi=HOSTILE, name_en=HOSTILE)
    nv = make.department(code="NV")
    coordinator = make.user(roles=["coordinator"])
    auditor = make.user(roles=["auditor"])
    head = make.user(departments=[(tp.id, "department_head")])
    staff = make.user(departments=[(tp.id, "staff")])
    for dept in (tp, nv):
        objective_with_plan(app, dept.id, coordinator_id=coordinator.id, owner_id=head.id)
        make_risk(app, dept.id, actor_id=coordinator.id, likelihood=3, impact=4)
    with app.app_context(), write_intent():
        coord = db.session.get(User, coordinator.id)
        document(tp.id, head.id, "QT-TP-01", date(2025, 6, 1))    # review overdue since 06-01
        document(nv.id, head.id, "QT-NV-01", date(2025, 7, 1))    # due within 30 days
        reported_audit(coord, auditor.id, tp.id, local(2026, 5, 20), ["major", "minor", "minor"])
        db.session.commit()
    ids = {"coordinator_id": coordinator.id, "owner_id": head.id}
    ca_in_state(app, tp.id, "open", today=date(2026, 6, 1), **ids)     # 14 days old
    ca_in_state(app, nv.id, "open", today=date(2026, 3, 1), **ids)     # 106 days old
    return SimpleNamespace(tp=tp, nv=nv, coordinator=coordinator, head=head, staff=staff)


def _charts(html: str) -> dict:
    """chart id → {(series, category label): figure} from the page's SVGs."""
    found = {}
    for markup in re.findall(r"<svg .*?</svg>", html, flags=re.S):
        root = fromstring(markup)
        labels = [t.find("s:title", NS).text
                  for t in root.findall(".//s:text[@class='category']", NS)]
        marks = {}
        for mark in root.findall(".//s:g[@class='mark']", NS):
            marks[(mark.get("data-series"), labels[int(mark.get("data-category"))])] = \
                mark.get("data-value")
        found[root.get("id")] = marks
    return found


def test_the_coordinator_sees_every_department(client, login, world):
    login(client, world.coordinator.email)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/monitoring"' in home
    response = client.get("/monitoring")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<b>Tư pháp</b>" not in html
    charts = _charts(html)
    tp = HOSTILE
    nv_name = next(k[1] for k in charts["objectives"] if k[1] != tp)
    assert charts["objectives"][("open", tp)] == "1"
    assert charts["objectives"][("open", nv_name)] == "1"
    assert charts["reviews"][("overdue", tp)] == "1"
    assert charts["reviews"][("due", tp)] == "0"
    assert charts["reviews"][("due", nv_name)] == "1"
    # One major, two minor (and none of the other grades); the helper's findings name no
    # clause, so by clause all three stand under "No clause".
    assert sorted(v for v in charts["findings-grade"].values() if v != "0") == ["1", "2"]
    assert {c for (_s, c), v in charts["findings-clause"].items()} == {"No clause"}
    assert charts["findings-clause"][("minor", "No clause")] == "2"
    assert charts["ageing"][("0_30", tp)] == "1"
    assert charts["ageing"][("over_90", nv_name)] == "1"
    assert sum(int(v) for v in charts["risks"].values()) == 2
    # The organisation's heat map counts both risks in the cell 3 × 4.
    assert 'data-likelihood="3" data-impact="4" data-count="2"' in html
    # The same numbers as tables, behind each chart.
    assert html.count('<details class="chart-numbers">') == len(charts)


def test_a_department_head_sees_their_department_only(client, login, world):
    login(client, world.head.email)
    html = client.get("/monitoring").get_data(as_text=True)
    charts = _charts(html)
    categories = {c for marks in (charts["reviews"], charts["ageing"]) for _s, c in marks}
    assert categories == {HOSTILE}
    assert charts["ageing"][("0_30", HOSTILE)] == "1"
    assert 'data-likelihood="3" data-impact="4" data-count="1"' in html


def test_staff_have_no_monitoring_page(client, login, world):
    login(client, world.staff.email)
    assert 'href="/monitoring"' not in client.get("/").get_data(as_text=True)
    assert client.get("/monitoring").status_code == 403
