"""State changes of packs, share links and verifications: validate (through `rules`), mutate,
flush, record; never commit. One module per aggregate; the verbs are re-exported here."""

from compliance.evidence.services.links import (
    MAX_LINK_DAYS,
    LinkGone,
    create_link,
    live_link,
    revoke_link,
    use_link,
)
from compliance.evidence.services.packs import (
    MAX_PERIOD_DAYS,
    effective_state,
    get_pack,
    not_started,
    request_pack,
    request_subtree_pack,
    stale_error,
    stalled,
)
from compliance.evidence.services.verifications import (
    get_verification,
    read_pack_upload,
    record_verification,
)

__all__ = ["MAX_LINK_DAYS", "MAX_PERIOD_DAYS", "LinkGone", "create_link", "effective_state",
           "get_pack", "get_verification", "live_link", "not_started", "read_pack_upload",
           "record_verification", "request_pack", "request_subtree_pack",
           "revoke_link", "stale_error", "stalled",
           "use_link"]
