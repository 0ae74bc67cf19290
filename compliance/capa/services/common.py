"""What every corrective-action service needs: loading, state and version checks."""

from __future__ import annotations

from flask_babel import gettext as _

from compliance.capa import rules
from compliance.capa.labels import STATE_LABELS
from compliance.capa.models import Action, CorrectiveAction
from compliance.core.db import check_version as core_check_version
from compliance.core.db import get_child
from compliance.core.errors import DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db


def require_state(ca: CorrectiveAction, *states: str) -> None:
    """Refuse (409) unless the corrective action is in one of these states."""
    if ca.status not in states:
        raise DomainError(_("This cannot be done while the corrective action is %(state)s.",
                            state=str(STATE_LABELS[ca.status]).lower()), status=409)


def check_version(ca: CorrectiveAction, expected: int | None) -> None:
    """Refuse (409) when the form was filled in on another version of the record, or says
    none."""
    core_check_version(ca, expected, _("Someone else changed this corrective action while you "
                                       "were editing it. Reload the page and apply your change "
                                       "again."))


def get(ca_id: int, for_update: bool = False) -> CorrectiveAction:
    """Load a corrective action or raise NotFound."""
    lock = {"of": CorrectiveAction} if for_update else None
    ca = db.session.get(CorrectiveAction, ca_id, with_for_update=lock)
    if ca is None:
        raise NotFound(_("No such corrective action."))
    return ca


def get_readable(user, ca_id: int, *, for_update: bool = False) -> CorrectiveAction:
    """A corrective action the user may read; 403 otherwise (404 only for those who read all)."""
    try:
        ca = get(ca_id, for_update=for_update)
    except NotFound:
        # Those who read only some corrective actions learn nothing from a missing one.
        if not rules.may_read_all(user):
            raise PermissionDenied(_("You may not open this corrective action.")) from None
        raise
    rules.ensure_read(user, ca)
    return ca


def get_action(ca: CorrectiveAction, action_id: int) -> Action:
    """An action of this corrective action, or NotFound."""
    return get_child(db.session, Action, action_id, _("No such action."),
                     corrective_action_id=ca.id)
