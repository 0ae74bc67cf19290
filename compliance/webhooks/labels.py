"""The events a webhook may want, with their translated labels, and the delivery states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

EVENTS = {
    "revision.in_force": _l("A revision came into force"),
    "revision.superseded": _l("A revision was superseded"),
    "finding.raised": _l("A finding calling for corrective action was raised"),
    "corrective_action.overdue": _l("A corrective action is overdue"),
    "evidence_pack.ready": _l("An evidence pack is ready"),
    "measure.below_target": _l("A measure's value missed its target"),
}


def delivery_state(state: str) -> str:
    """A delivery's state in words."""
    return {"waiting": pgettext("delivery", "Waiting"), "sent": pgettext("delivery", "Sent"),
            "failed": pgettext("delivery", "Failed")}.get(state, state)
