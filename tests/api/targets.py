"""The audit and corrective-action rows the API matrix's URLs name, for one department."""

from __future__ import annotations

from tests.audits.helpers import audit_target
from tests.capa.helpers import ca_target
from tests.evidence.helpers import pack_target


def audit_and_capa_ids(app, make, department_id: int) -> dict:
    """An audit in progress (a checklist item, a finding), a corrective action with its
    actions in progress (its owner is none of the matrix's people) and a ready evidence pack
    of the department with a live share link."""
    audit = audit_target(app, make, department_id, "in_progress")
    ca = ca_target(app, make, department_id, "actions_in_progress")
    pack = pack_target(app, department_id, make.user(roles=["coordinator"]).id)
    return {"programme_id": audit.programme_id, "audit_id": audit.audit_id,
            "item_id": audit.item_id, "finding_id": audit.finding_id, "ca_id": ca.ca_id,
            "action_id": ca.action_id, "pack_id": pack.pack_id, "link_id": pack.link_id}
