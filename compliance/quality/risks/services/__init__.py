"""Risk register verbs, one module per aggregate; re-exported so callers write
`services.create_risk(...)`."""

from compliance.quality.risks.services.actions import (
    add_action,
    complete_action,
    delete_action,
    edit_action,
)
from compliance.quality.risks.services.ca_reviews import answer, answer_of, get_ca
from compliance.quality.risks.services.common import (
    check_version,
    current_scale,
    get,
    get_action,
    get_readable,
)
from compliance.quality.risks.services.risks import (
    a_year_after,
    add_link,
    change_status,
    create_risk,
    record_review,
    update_risk,
)
from compliance.quality.risks.services.scale import check_bands, set_scale

__all__ = ["a_year_after", "add_action", "add_link", "answer", "answer_of", "change_status",
           "check_bands", "check_version", "complete_action", "create_risk", "current_scale",
           "delete_action", "edit_action",
           "get", "get_action", "get_ca", "get_readable", "record_review", "set_scale",
           "update_risk"]
