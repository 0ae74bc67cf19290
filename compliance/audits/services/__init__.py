"""The audit domain's verbs: programmes, planning, conduct, grades and the question bank.

The planning verbs are re-exported here, so `services.plan_audit(...)` reads as before."""

from compliance.audits.services.audits import (
    cancel_audit,
    check_independence,
    get_audit,
    get_readable_audit,
    plan_audit,
    reschedule_audit,
    update_audit,
)
from compliance.audits.services.programmes import (
    create_programme,
    get_programme,
    update_programme,
)

__all__ = ["cancel_audit", "check_independence", "create_programme", "get_audit",
           "get_programme", "get_readable_audit", "plan_audit", "reschedule_audit",
           "update_audit", "update_programme"]
