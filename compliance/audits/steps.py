"""Where an audit stands: planned → in progress → reported → closed (or cancelled), what
stands before its next step and who must act. Data for templates/_macros/steps.html."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from compliance.audits.labels import STATE_LABELS
from compliance.audits.models import Audit
from compliance.core.locale import format_day
from compliance.core.steps import Progress, progress

PATH = tuple((state, STATE_LABELS[state])
             for state in ("planned", "in_progress", "reported", "closed"))


def audit_progress(audit: Audit) -> Progress:
    """The audit's place on its path."""
    title = _("Where the audit %(reference)s stands", reference=audit.reference)
    if audit.status == "cancelled":
        reason = audit.cancellation_reason or "—"
        return progress(title, PATH, "planned",
                        left_after="in_progress" if audit.started_at else "planned",
                        outcome=_("Cancelled: %(reason)s", reason=reason))
    blockers, actors = _next(audit)
    return progress(title, PATH, audit.status, blockers=blockers, actors=actors)


def _next(audit: Audit) -> tuple[list[str], list[str]]:
    lead = audit.lead_auditor.name if audit.lead_auditor is not None else ""
    if audit.status == "planned":
        return ([_("The lead auditor starts the audit (planned for %(day)s).",
                   day=format_day(audit.planned_start))], [lead])
    if audit.status == "in_progress":
        blockers = []
        open_items = sum(1 for item in audit.items if item.result is None)
        if open_items:
            blockers.append(ngettext("%(num)d checklist item has no result yet.",
                                     "%(num)d checklist items have no result yet.", open_items))
        blockers.append(_("The lead auditor signs the report."))
        return blockers, [lead]
    if audit.status == "reported":
        return [_("An ISO coordinator closes the audit.")], [_("an ISO coordinator")]
    return [], []
