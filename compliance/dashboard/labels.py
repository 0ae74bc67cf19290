"""The home page's kinds of work and the audit states it names, with their translated labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The kinds of work, in the order the page lists them.
KINDS = {
    "approve": _l("Revisions to approve"),
    "review": _l("Reviews due"),
    "read": _l("Documents to acknowledge"),
    "contain": _l("Corrective actions to contain"),
    "action": _l("Corrective-action items"),
    "check": _l("Effectiveness checks"),
    "audit": _l("Audits I lead or am audited in"),
    "finding": _l("Audit findings to answer"),
    "recall": _l("Old copies to destroy or return"),
    "objective": _l("Steps of quality objectives"),
}

AUDIT_STATUS_LABELS = {"planned": _l("Planned"), "in_progress": _l("In progress")}
