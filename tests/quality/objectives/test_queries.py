"""The reads the dashboard, the reports and the management-review pack will use: data only."""

from __future__ import annotations

from datetime import date

from compliance.auth.models import User
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.quality.objectives import queries, services
from tests.quality.objectives.helpers import context_records, objective_with_plan


def test_objectives_by_status_progress_and_context_changes(app, make, clock):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    done = objective_with_plan(app, dept.id, coordinator_id=coordinator.id,
                               owner_id=coordinator.id, year=2025, done=True)
    objective_with_plan(app, dept.id, coordinator_id=coordinator.id, owner_id=coordinator.id,
                        year=2025, due_on=date(2025, 3, 1))
    objective_with_plan(app, None, coordinator_id=coordinator.id, owner_id=coordinator.id,
                        year=2025)
    with app.app_context(), write_intent():
        actor = db.session.get(User, coordinator.id)
        objective = services.get(done.objective_id)
        services.evaluate(actor, objective, result="achieved", comment="Đạt", today=clock.today(),
                          expected_version=objective.version)
        db.session.commit()
    before = clock.utcnow()
    context_records(app, coordinator.id, review_on=date(2026, 9, 1))
    with app.app_context():
        assert queries.status_by_department(2025) == {
            dept.id: {"open": 1, "achieved": 1, "partly_achieved": 0, "not_achieved": 0},
            None: {"open": 1, "achieved": 0, "partly_achieved": 0, "not_achieved": 0}}
        rows = queries.department_progress(2025, dept.id, clock.today())
        assert [(r.status, r.items_total, r.items_done, r.items_overdue) for r in rows] == [
            ("achieved", 1, 1, 0), ("open", 1, 0, 1)]
        changes = queries.context_changes_since(before)
        assert sorted((c.kind, c.added) for c in changes) == [("issue", True), ("party", True)]
        assert [p.name("en") for p in queries.interested_parties(active_only=True)] == \
            ["Citizens"]
        assert queries.context_changes_since(clock.utcnow()) == []
