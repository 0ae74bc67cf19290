"""What the audit domain's verbs share: the state an action needs, and optimistic locking."""

from __future__ import annotations

from flask_babel import gettext as _

from compliance.audits import rules
from compliance.audits.labels import STATE_LABELS
from compliance.core.db import check_version as core_check_version
from compliance.core.errors import DomainError


def require_state(audit, action: str) -> None:
    """Refuse (409) an action the audit's state does not allow, naming the state."""
    if audit.status not in rules.STATES_FOR[action]:
        raise DomainError(_("This cannot be done while the audit is %(state)s.",
                            state=str(STATE_LABELS[audit.status]).lower()), status=409)


def check_version(record, expected_version: int | None, message: str | None = None) -> None:
    """Refuse (409) an edit made on a version other than the current one, or on none at all."""
    core_check_version(record, expected_version, message or _(
        "Someone else changed this record while you were editing it. Reload the page and "
        "apply your change again."))
