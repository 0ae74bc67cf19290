"""Corrective actions in a given state, made through the same services the pages use."""

from __future__ import annotations

import io
from datetime import date, timedelta
from types import SimpleNamespace

from compliance.auth.models import User
from compliance.capa import services
from compliance.core.db import write_intent
from compliance.core.extensions import db

TODAY = date(2026, 6, 10)
STATES = ("open", "contained", "analysed", "actions_in_progress", "verifying", "closed")


def ca_in_state(app, department_id: int, state: str = "open", *, coordinator_id: int,
                owner_id: int, verifier_id: int | None = None, grade: str = "major",
                today: date = TODAY, evidence: bool = True) -> SimpleNamespace:
    """A corrective action of a department taken to a state; returns its ids."""
    from tests.documents.helpers import pdf_bytes

    reached = STATES.index(state)
    with app.app_context(), write_intent():
        coordinator = db.session.get(User, coordinator_id)
        ca = services.raise_by_hand(coordinator, today=today, source="complaint",
                                    department_id=department_id, grade=grade,
                                    problem="Hồ sơ tiếp nhận trả lại quá hạn",
                                    verifier_id=verifier_id or coordinator_id)
        file_id = services.add_file(coordinator, ca, io.BytesIO(pdf_bytes()), "don.pdf").id
        action_id = 0
        if reached >= 1:
            services.contain(coordinator, ca, correction="Gọi lại cho công dân",
                             corrected_on=today, today=today, expected_version=ca.version)
        if reached >= 2:
            services.analyse(coordinator, ca, whys=["Không theo dõi hạn", "Không có sổ"],
                             ishikawa="method", extent="Chỉ phòng này", affected_ids=[],
                             expected_version=ca.version)
        if reached >= 3:
            action_id = services.add_action(coordinator, ca, description="Lập sổ theo dõi",
                                            owner_id=owner_id, due_on=today + timedelta(days=14),
                                            today=today).id
        if reached >= 4:
            services.complete_action(coordinator, ca, services.get_action(ca, action_id),
                                     today=today, note="Đã lập sổ")
        if reached >= 5:
            verifier = db.session.get(User, ca.verifier_id)
            services.record_check(verifier, ca, effective=True, notes="Không còn trễ hạn",
                                  today=today,
                                  stream=io.BytesIO(pdf_bytes()) if evidence else None,
                                  filename="kiem-tra.pdf")
            services.close(verifier, ca, note="", today=today, expected_version=ca.version)
        db.session.commit()
        return SimpleNamespace(ca_id=ca.id, reference=ca.reference, action_id=action_id,
                               file_id=file_id)


# The state a route needs to be meaningful; every other route gets one with actions in progress.
CA_STATE_FOR = {"capa.analysis.contain": "open", "capa.verification.decide": "open",
                "capa.analysis.analyse": "contained", "capa.actions.add": "analysed",
                "capa.verification.record_check": "verifying",
                "capa.verification.close": "verifying_effective"}
# Only observations and opportunities for improvement are closed by a decision.
CA_GRADE_FOR = {"capa.verification.decide": "observation"}


def ca_ids(app, make, endpoint: str, department_id: int,
           owner_id: int | None = None) -> SimpleNamespace:
    """A corrective action only for the routes that need one."""
    if not endpoint.startswith("capa.") and endpoint != "oversight.corrective_action":
        return SimpleNamespace()
    return ca_target(app, make, department_id, CA_STATE_FOR.get(endpoint, "actions_in_progress"),
                     owner_id=owner_id, grade=CA_GRADE_FOR.get(endpoint, "major"))


def ca_target(app, make, department_id: int, state: str, owner_id: int | None = None,
              grade: str = "major") -> SimpleNamespace:
    """Ids for a corrective action of a department in a state (for the route walks)."""
    from tests.documents.helpers import pdf_bytes

    coordinator = make.user(roles=["coordinator"])
    owner_id = owner_id or make.user(departments=[(department_id, "staff")]).id
    if state == "verifying_effective":
        ids = ca_in_state(app, department_id, "verifying", coordinator_id=coordinator.id,
                          owner_id=owner_id, grade=grade)
        with app.app_context(), write_intent():
            ca = services.get(ids.ca_id)
            services.record_check(db.session.get(User, coordinator.id), ca, effective=True,
                                  notes="Hiệu lực", today=TODAY,
                                  stream=io.BytesIO(pdf_bytes()), filename="kiem-tra.pdf")
            db.session.commit()
        return ids
    return ca_in_state(app, department_id, state, coordinator_id=coordinator.id,
                       owner_id=owner_id, grade=grade)


def shown_version(app, ca_id: int) -> dict[str, int]:
    """The hidden `version` field as the corrective action's page fills it in now, for posts
    that a form of that page sends (contain, analyse, close, decision)."""
    from compliance.capa.models import CorrectiveAction

    with app.app_context():
        return {"version": db.session.get(CorrectiveAction, ca_id).version}
