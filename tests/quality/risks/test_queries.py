"""The figures the dashboard, the six-monthly report and the review's input pack read: risks
by level per department, heat-map counts, the treatment actions' effectiveness, the
opportunities. Each test reads the same small world (built per test: the app is)."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.quality.risks import levels, queries
from compliance.quality.risks.models import Risk, RiskAction
from tests.quality.risks.helpers import make_risk

SCALE = levels.DEFAULT
TODAY = date(2026, 6, 15)


@pytest.fixture
def world(app, make):
    """Two departments: four risks, one closed, an opportunity, actions done and not."""
    one, two = make.department(), make.department()
    actor = make.user(roles=["coordinator"]).id
    owner = make.user().id
    made = [make_risk(app, one.id, actor_id=actor, likelihood=5, impact=5, residual=(1, 2),
                      action_owner_id=owner, due_on=date(2026, 6, 20)),
            make_risk(app, one.id, actor_id=actor, likelihood=2, impact=3,
                      action_owner_id=owner, due_on=date(2026, 6, 30)),
            make_risk(app, two.id, actor_id=actor, likelihood=3, impact=4,
                      action_owner_id=owner, due_on=date(2026, 6, 16)),
            make_risk(app, two.id, actor_id=actor, likelihood=5, impact=4),
            make_risk(app, one.id, actor_id=actor, kind="opportunity", likelihood=4, impact=4)]
    with app.app_context(), write_intent():
        db.session.get(Risk, made[3].risk_id).status = "closed"
        first, second, third = (db.session.get(RiskAction, m.action_id) for m in made[:3])
        first.status, first.done_on = "done", date(2026, 6, 18)   # on time
        second.status, second.done_on = "done", date(2026, 7, 2)  # late
        db.session.commit()
    return {"one": one.id, "two": two.id, "made": made}


def test_risks_by_level_per_department_before_and_after(app, world):
    with app.app_context():
        before = queries.by_level(SCALE)
        after = queries.by_level(SCALE, after=True, department_ids=[world["one"]])
    zero = dict.fromkeys(SCALE.levels, 0)
    assert before == {world["one"]: {**zero, "very_high": 1, "medium": 1},
                      world["two"]: {**zero, "high": 1}}  # the closed one is left out
    assert after == {world["one"]: {**zero, "low": 1, "medium": 1}}


def test_heat_counts_and_the_opportunities(app, world):
    with app.app_context():
        assert queries.heat_counts() == {(5, 5): 1, (2, 3): 1, (3, 4): 1}
        assert queries.heat_counts(department_id=world["one"], after=True) == \
            {(1, 2): 1, (2, 3): 1}
        assert queries.heat_map(SCALE, kind="opportunity").cell(4, 4).count == 1
        assert [r.id for r in queries.opportunities()] == [world["made"][4].risk_id]


def test_the_effectiveness_of_the_treatment_actions(app, world):
    with app.app_context():
        everything = queries.action_effectiveness(date(2026, 7, 3))
        june = queries.action_effectiveness(TODAY, start=date(2026, 6, 1),
                                            end=date(2026, 6, 25), department_id=world["two"])
    assert everything == queries.Effectiveness(on_time=1, late=1, overdue=1)
    assert june == queries.Effectiveness(open=1) and june.total == 1
