"""This domain's signal receivers: people hear at once about events they must act on.

Received:
- `core.signals.audit_reported` — sender: the Audit whose report was issued; keyword
  `actor` (the user who issued it). The audited department's heads get an `audit_reported`
  notification (and its email in the outbox when they chose immediate email; the outbox job
  sends it after the request has committed).
- `core.signals.reading_requested` — sender: the Revision that came into force; keywords
  `document` and `user_ids` (the readers just asked to read it). Each reader hears at once
  (`ack_requested`), not only when the first reminder falls due a week later.
"""

from __future__ import annotations

from compliance.core import signals
from compliance.notifications.alerts_work import audit_params
from compliance.notifications.recipients import link
from compliance.notifications.services import Alert, raise_alerts
from compliance.org import queries as org


def on_audit_reported(audit, actor=None, **_extra) -> None:
    """The audited department's heads learn that the report is out and what it found."""
    heads = org.heads_by_department([audit.department_id]).get(audit.department_id, [])
    raise_alerts([Alert("audit_reported", f"audit:{audit.id}:reported", heads,
                        {**audit_params(audit), "findings": len(audit.findings)},
                        link("audits.conduct.detail", audit_id=audit.id))])


def on_reading_requested(revision, *, document, user_ids, **_extra) -> None:
    """The readers of a revision that came into force are asked to read it, at once."""
    raise_alerts([Alert("ack_requested", f"revision:{revision.id}:reading_requested", user_ids,
                        {"code": document.code, "title_vi": document.title_vi,
                         "title_en": document.title_en, "label": revision.label,
                         "effective": revision.effective_date},
                        link("documents.reading.to_read"))])


def connect(app) -> None:
    """Listen for the domain events that people should hear about at once."""
    # Module-level receivers, so blinker's weak reference lives as long as the process and a
    # second app (tests build many) connects the same receiver once.
    signals.audit_reported.connect(on_audit_reported)
    signals.reading_requested.connect(on_reading_requested)
