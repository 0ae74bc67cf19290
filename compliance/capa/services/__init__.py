"""Corrective actions: raise, contain, analyse, act, verify, close (DESIGN §5).

One module per part of the aggregate; this package re-exports the verbs so callers write
`services.contain(...)`."""

from compliance.capa.services.actions import add_action, complete_action
from compliance.capa.services.analysis import MAX_WHYS, analyse, contain
from compliance.capa.services.common import (
    check_version,
    get,
    get_action,
    get_readable,
    require_state,
)
from compliance.capa.services.files import add_file, get_file, store_file
from compliance.capa.services.plan import (
    cancel_action,
    edit_action,
    reassign_action,
    reschedule_action,
)
from compliance.capa.services.raising import raise_by_hand, raise_from_finding
from compliance.capa.services.verification import (
    close,
    close_by_decision,
    closure_problems,
    plan_complete,
    record_check,
    schedule_check,
)

__all__ = ["MAX_WHYS", "add_action", "add_file", "analyse", "cancel_action", "check_version",
           "close", "close_by_decision", "closure_problems", "complete_action", "contain",
           "edit_action", "get", "get_action", "get_file", "get_readable", "plan_complete",
           "raise_by_hand", "raise_from_finding", "reassign_action", "record_check",
           "require_state", "reschedule_action", "schedule_check", "store_file"]
