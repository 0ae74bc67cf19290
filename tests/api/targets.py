"""The audit, corrective-action and quality rows the API matrix's URLs name, for one
department."""

from __future__ import annotations

from tests.audits.helpers import audit_target
from tests.capa.helpers import ca_target
from tests.evidence.helpers import pack_target
from tests.quality.measures.helpers import measure_ids
from tests.quality.objectives.helpers import objective_with_plan
from tests.quality.risks.helpers import make_risk


def audit_and_capa_ids(app, make, department_id: int) -> dict:
    """An audit in progress (a checklist item, a finding), a corrective action with its
    actions in progress (its owner is none of the matrix's people) and a ready evidence pack
    of the department with a live share link."""
    audit = audit_target(app, make, department_id, "in_progress")
    ca = ca_target(app, make, department_id, "actions_in_progress")
    pack = pack_target(app, department_id, make.user(roles=["coordinator"]).id)
    return {"programme_id": audit.programme_id, "audit_id": audit.audit_id,
            "item_id": audit.item_id, "finding_id": audit.finding_id, "ca_id": ca.ca_id,
            "action_id": ca.action_id, "pack_id": pack.pack_id, "link_id": pack.link_id,
            # No check waits yet: those who may judge one reach the empty body (422) first.
            "check_id": 1, "which": "opening"}


def quality_ids(app, make, department_id: int) -> dict:
    """A measure of the department with a missed value and an import previewed by its
    coordinator (its recorder, the import's uploader, the objective's plan owner and the
    risk's action owner are none of the matrix's people), an objective of the department
    and a risk of it."""
    measure = measure_ids(app, make, "quality.measures.preview", department_id)
    coordinator = make.user(roles=["coordinator"]).id
    someone = make.user(departments=[(department_id, "staff")]).id
    objective = objective_with_plan(app, department_id, coordinator_id=coordinator,
                                    owner_id=someone)
    risk = make_risk(app, department_id, actor_id=coordinator, action_owner_id=someone)
    return {"measure_id": measure.measure_id, "value_id": measure.value_id,
            "import_id": measure.import_id,
            "objective_id": objective.objective_id, "plan_item_id": objective.item_id,
            "risk_id": risk.risk_id,
            "treatment_id": risk.action_id}
