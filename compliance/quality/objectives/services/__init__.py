"""Quality objectives and the context of the organisation: the verbs (state changes).

One module per aggregate; this package re-exports the verbs so callers write
`services.add_item(...)`. No signal is sent yet: nothing listens to these changes."""

from compliance.quality.objectives.services.common import (
    check_version,
    get,
    get_item,
    get_readable,
    require_open,
)
from compliance.quality.objectives.services.context import (
    create_issue,
    create_party,
    edit_issue,
    edit_party,
    get_issue,
    get_party,
    mark_reviewed,
)
from compliance.quality.objectives.services.copying import EVERYWHERE, copy_year
from compliance.quality.objectives.services.objectives import (
    create_objective,
    edit_objective,
    evaluate,
    record_progress,
)
from compliance.quality.objectives.services.plan import (
    add_item,
    complete_item,
    edit_item,
    reopen_item,
)
from compliance.quality.objectives.services.removal import delete_item, delete_objective

__all__ = ["EVERYWHERE", "add_item", "check_version", "complete_item", "copy_year",
           "create_issue", "create_objective", "create_party", "delete_item",
           "delete_objective", "edit_issue", "edit_item",
           "edit_objective", "edit_party", "evaluate", "get", "get_issue", "get_item",
           "get_party", "get_readable", "mark_reviewed", "record_progress", "reopen_item",
           "require_open"]
