"""Measures: define, record, import, act on a missed target.

One module per aggregate; this package re-exports the verbs so callers write
`services.record_value(...)`."""

from compliance.quality.measures.services.common import (
    Refusal,
    check_version,
    get,
    get_readable,
    get_value,
)
from compliance.quality.measures.services.imports import confirm, get_import, preview, upload
from compliance.quality.measures.services.measures import create_measure, update_measure
from compliance.quality.measures.services.values import (
    corrective_action_of,
    problem_statement,
    raise_corrective_action,
    record_value,
)

__all__ = ["Refusal", "check_version", "confirm", "corrective_action_of", "create_measure",
           "get", "get_import", "get_readable", "get_value", "preview", "problem_statement",
           "raise_corrective_action", "record_value", "update_measure", "upload"]
