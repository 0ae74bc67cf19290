"""Rows of the steering committee and the yearly plan for tests."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from compliance.auth.models import User
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.steering import services
from compliance.steering.models import PlanTask, SteeringMember


def steering_target(app, make, endpoint: str) -> SimpleNamespace:
    """A member and a task for the routes of the steering pages; nothing for other routes."""
    if not endpoint.startswith("steering."):
        return SimpleNamespace()
    coordinator = make.user(roles=["coordinator"])
    with app.app_context(), write_intent():
        actor = db.session.get(User, coordinator.id)
        member = services.add(actor, SteeringMember, name="Lê Thị Hoa",
                              position="Phó Chủ tịch UBND huyện", committee_role="head",
                              user_id=None, decision="12/QĐ-UBND",
                              appointed_on=date(2026, 1, 5), left_on=None)
        task = services.add(actor, PlanTask, year=2026, title="Đánh giá nội bộ lần 1",
                            owner_id=coordinator.id, due_on=date(2026, 5, 30), done_on=None,
                            note="", today=date(2026, 1, 5))
        db.session.commit()
        return SimpleNamespace(member_id=member.id, task_id=task.id,
                               member_version=member.version, task_version=task.version)
