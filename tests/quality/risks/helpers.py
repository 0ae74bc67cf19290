"""Risks made through the services the pages use, and the targets of the route walk."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from compliance.auth.models import User
from compliance.capa import services as capa
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.quality.risks import services
from compliance.quality.risks.models import Risk

TODAY = date(2026, 6, 15)  # the `clock` fixture's day


def make_risk(app, department_id: int, *, actor_id: int, likelihood: int = 3,
              impact: int = 4, kind: str = "risk", process_id: int | None = None,
              residual: tuple[int, int] | None = None, action_owner_id: int | None = None,
              due_on: date | None = None, review_on: date | None = None,
              today: date = TODAY) -> SimpleNamespace:
    """A risk of a department (with a treatment action when an owner is named); its ids."""
    with app.app_context(), write_intent():
        actor = db.session.get(User, actor_id)
        risk = services.create_risk(actor, department_id=department_id, kind=kind,
                                    description="Hồ sơ trả kết quả trễ hạn",
                                    cause="Thiếu người tiếp nhận",
                                    consequence="Công dân khiếu nại", likelihood=likelihood,
                                    impact=impact, process_id=process_id,
                                    review_on=review_on, today=today)
        if residual:
            services.update_risk(actor, risk, kind=kind, description=risk.description,
                                 cause=risk.cause, consequence=risk.consequence,
                                 likelihood=likelihood, impact=impact,
                                 residual_likelihood=residual[0], residual_impact=residual[1],
                                 process_id=process_id, review_on=risk.review_on, today=today,
                                 expected_version=risk.version)
        action_id = 0
        if action_owner_id:
            action_id = services.add_action(actor, risk, description="Bố trí thêm cán bộ",
                                            owner_id=action_owner_id,
                                            due_on=due_on or today + timedelta(days=14),
                                            today=today).id
        db.session.commit()
        return SimpleNamespace(risk_id=risk.id, reference=risk.reference, action_id=action_id)


def raise_ca(app, department_id: int, actor_id: int, *, closed: bool = False,
             grade: str = "minor") -> SimpleNamespace:
    """A corrective action of the department, raised by hand; closed by a decision when
    asked (an observation: no file, no plan, the same closing signal); its id, reference."""
    with app.app_context(), write_intent():
        actor = db.session.get(User, actor_id)
        ca = capa.raise_by_hand(actor, today=TODAY, source="complaint",
                                department_id=department_id,
                                grade="observation" if closed else grade,
                                problem="Trả kết quả trễ hạn", verifier_id=actor_id)
        if closed:
            capa.close_by_decision(actor, ca, decision="Theo dõi thêm", today=TODAY,
                                   expected_version=ca.version)
        db.session.commit()
        return SimpleNamespace(ca_id=ca.id, reference=ca.reference)


def risk_target(app, make, endpoint: str, department_id: int,
                owner_id: int | None = None) -> SimpleNamespace:
    """Ids for the route walk: a risk of the department with a treatment action (owned by
    the walker when named), and a corrective action of the department."""
    if not endpoint.startswith("quality.risks."):
        return SimpleNamespace()
    coordinator = make.user(roles=["coordinator"])
    owner_id = owner_id or make.user(departments=[(department_id, "staff")]).id
    ids = make_risk(app, department_id, actor_id=coordinator.id, action_owner_id=owner_id)
    target = SimpleNamespace(risk_id=ids.risk_id, action_id=ids.action_id,
                             risk_version=risk_version(app, ids.risk_id))
    if endpoint.endswith(("answer_ca", "add_link")):
        # A closed corrective action of the department, to answer about or to link.
        target.ca_id = raise_ca(app, department_id, coordinator.id, closed=True).ca_id
    return target


def risk_version(app, risk_id: int) -> int:
    """The hidden `version` the risk's page puts in its forms now."""
    with app.app_context():
        return db.session.get(Risk, risk_id).version
