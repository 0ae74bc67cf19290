"""The document domain's verbs, one module per aggregate:

- `documents`: loading, codes, registration, register entry changes;
- `obsolescence`: making a document obsolete and reinstating it (signed);
- `revisions`: drafts (upload prepared then recorded), submission, withdrawal;
- `approval`: signatures, coming into force, the scheduled activation;
- `acknowledgements`: reading requests and confirmations;
- `copies`: stamped copies and the log of copies issued;
- `reviews`: periodic reviews.

The names most callers need are re-exported here."""

from compliance.documents.services.approval import (
    activate_due,
    make_effective,
    reject_revision,
    sign_revision,
)
from compliance.documents.services.documents import (
    check_code_pattern,
    create_document,
    ensure_not_obsolete,
    generate_code,
    get_document,
    get_revision,
    update_document,
)
from compliance.documents.services.obsolescence import make_obsolete, reinstate_document
from compliance.documents.services.revisions import (
    prepare_upload,
    record_upload,
    reopen_from_effective,
    submit_for_review,
    upload_revision,
    withdraw_draft,
)

__all__ = ["activate_due", "check_code_pattern", "create_document", "ensure_not_obsolete",
           "generate_code",
           "get_document", "get_revision", "make_effective", "make_obsolete", "prepare_upload",
           "record_upload", "reinstate_document", "reject_revision", "reopen_from_effective",
           "sign_revision", "submit_for_review", "update_document", "upload_revision",
           "withdraw_draft"]
