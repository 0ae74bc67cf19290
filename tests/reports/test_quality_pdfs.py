"""The quality system in the reports: the six-monthly report carries the objectives' progress
and the risk picture (page and PDF), the management-review input pack carries context changes
(9.3.2 b), objectives (c 2), risk actions' effectiveness (e) and opportunities (f). Each PDF is
rendered once, in English, and parsed back for the charts' titles and figures."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.quality.measures.helpers import measure, record
from tests.quality.objectives.helpers import context_records, objective_with_plan
from tests.quality.risks.helpers import make_risk
from tests.reports.test_six_monthly import pdf_text


@pytest.fixture
def world(app, make, clock):
    """One department with two objectives (one step done), a risk rated 3 × 4 with a treatment
    action due this half-year, an opportunity, and a context issue and party added today."""
    tp = make.department(code="TP", name_en="Justice Office")
    coordinator = make.user(roles=["coordinator"])
    head = make.user(departments=[(tp.id, "department_head")])
    objective_with_plan(app, tp.id, coordinator_id=coordinator.id, owner_id=head.id,
                        done=True)
    objective_with_plan(app, tp.id, coordinator_id=coordinator.id, owner_id=head.id)
    make_risk(app, tp.id, actor_id=coordinator.id, likelihood=3, impact=4,
              action_owner_id=head.id)
    make_risk(app, tp.id, actor_id=coordinator.id, likelihood=2, impact=2, kind="opportunity")
    context_records(app, coordinator.id)
    cast = SimpleNamespace(coordinator=coordinator, recorder=head,
                           process=make.process(tp.id, code="TTHC-TP-01", owner_id=head.id))
    record(app, head.id, measure(app, cast, code="KPI-TP-01"), "2026-02", value=87.5)
    # A survey of citizens' satisfaction, flagged as customer feedback (input 9.3.2 c 1).
    record(app, head.id, measure(app, cast, code="HL-TP-01", target=90,
                                 name_en="Citizens satisfied", customer_feedback=True),
           "2026-03", value=93)
    return SimpleNamespace(tp=tp, coordinator=coordinator, head=head)


def test_six_monthly_report_shows_objectives_and_risks(client, login, world):
    login(client, world.head.email)
    page = client.get(f"/reports/six-monthly/department/{world.tp.id}?period=2026-H1"
                      "&lang=en").get_data(as_text=True)
    assert 'data-testid="chart-progress-' in page
    assert 'data-likelihood="3" data-impact="4" data-count="1"' in page
    response = client.get(f"/reports/six-monthly/department/{world.tp.id}.pdf?period=2026-H1"
                          "&lang=en")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Quality objectives and risks" in text
    assert "Objectives 2026 of Justice Office: plan steps" in text
    assert "Risks by level" in text
    assert "Risks before treatment: Justice Office" in text
    # The charts' tables: the steps done per objective, and the one risk in its cell.
    assert "Steps done" in text and "3 × 4 1" in text
    # The measure against its target, and its one value in the chart's table.
    assert "Measures against target" in text
    assert "KPI-TP-01: Dossiers settled on time" in text and "2026-02 87.5%" in text


def test_input_pack_shows_context_objectives_effectiveness_and_opportunities(client, login,
                                                                             world):
    login(client, world.coordinator.email)
    response = client.get("/management-reviews/input-pack.pdf?start=2026-01-01&end=2026-06-30"
                          "&lang=en")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Added or changed since the last management review: 2" in text
    assert "Thủ tục hành chính thay đổi thường xuyên" in text and "Citizens" in text
    assert "Quality objectives 2026 by status" in text
    assert "2 objectives of 2026" in text
    assert "Treatment actions of risks and opportunities by outcome" in text
    assert "Open, not yet due 1" in text
    assert "Opportunities not closed: 1" in text
    # c 1: the flagged measure's chart and its figures; c 3: each process's values.
    assert "Customer satisfaction and feedback from relevant interested parties" in text
    assert "Measures flagged as customer satisfaction or feedback: 1" in text
    assert "Corrective actions raised from complaints in the period: 0" in text
    assert "HL-TP-01: Citizens satisfied" in text and "2026-03 93%" in text
    assert "KPI-TP-01: Dossiers" not in text.split("(9.3.2 c 2)")[0]
    assert "Process performance (9.3.2 c 3)" in text
    assert "Process measures against target by process" in text
    # Two measures of TTHC-TP-01, a value each: 93 met its 90, 87.5 missed its 95.
    assert "TTHC-TP-01 1 1" in text and "2 2 1 1" in text
