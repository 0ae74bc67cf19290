"""The scheduler chases risk reviews and treatment actions: each reminder once, whatever the
number of runs, the tightest lead time reached, then overdue to the heads and later the
coordinators; closed risks are left alone."""

from __future__ import annotations

from datetime import date, timedelta

from compliance.core.extensions import db
from compliance.notifications.models import Notification
from compliance.quality.risks.models import Risk
from tests.notifications.conftest import at
from tests.notifications.helpers import run
from tests.quality.risks.helpers import make_risk

REVIEW = date(2026, 9, 1)
DUE = date(2026, 8, 1)


def _raised(app) -> list[tuple[int, str]]:
    with app.app_context():
        return sorted(db.session.execute(db.select(Notification.user_id,
                                                   Notification.kind)).tuples())


def test_reviews_and_actions_are_chased_exactly_once(app, make):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    head = make.user(departments=[(dept.id, "department_head")])
    owner = make.user(departments=[(dept.id, "staff")])
    make_risk(app, dept.id, actor_id=coordinator.id, review_on=REVIEW,
              action_owner_id=owner.id, due_on=DUE)
    # A closed risk is not chased (its review date and action are the same).
    closed = make_risk(app, dept.id, actor_id=coordinator.id, review_on=REVIEW,
                       action_owner_id=owner.id, due_on=DUE)
    with app.app_context():
        db.session.get(Risk, closed.risk_id).status = "closed"
        db.session.commit()

    for _ in range(2):  # a second run the same day raises nothing
        run(app, "alerts.risk_actions", at(DUE - timedelta(days=6)))
        run(app, "alerts.risk_reviews", at(REVIEW - timedelta(days=7)))
    assert _raised(app) == [(head.id, "risk_review_due"), (owner.id, "risk_action_due")]

    run(app, "alerts.risk_actions", at(DUE))
    run(app, "alerts.risk_actions", at(DUE + timedelta(days=1)))
    run(app, "alerts.risk_actions", at(DUE + timedelta(days=1)))
    assert _raised(app) == [(head.id, "risk_action_overdue"), (head.id, "risk_review_due"),
                            (owner.id, "risk_action_due"), (owner.id, "risk_action_due_today"),
                            (owner.id, "risk_action_overdue")]
    # A week late, the coordinators hear too; once.
    for _ in range(2):
        run(app, "alerts.risk_actions", at(DUE + timedelta(days=7)))
    assert (coordinator.id, "risk_action_overdue") in _raised(app)

    before = len(_raised(app))
    run(app, "alerts.risk_reviews", at(REVIEW + timedelta(days=1)))
    run(app, "alerts.risk_reviews", at(REVIEW + timedelta(days=1)))
    assert len(_raised(app)) == before + 1
    assert (head.id, "risk_review_overdue") in _raised(app)
    with app.app_context():
        links = set(db.session.scalars(db.select(Notification.link)))
    assert f"/risks/{closed.risk_id}" not in {link.split("#")[0] for link in links}
