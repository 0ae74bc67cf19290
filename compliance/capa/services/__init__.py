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
from compliance.capa.services.raising import raise_by_hand, raise_from_finding
from compliance.capa.services.verification import (
    close,
    close_by_decision,
    closure_problems,
    record_check,
    schedule_check,
)

__all__ = ["MAX_WHYS", "add_action", "add_file", "analyse", "check_version", "close",
           "close_by_decision", "closure_problems", "complete_action", "contain", "get",
           "get_action", "get_file", "get_readable", "raise_by_hand", "raise_from_finding",
           "record_check", "require_state", "schedule_check", "store_file"]
