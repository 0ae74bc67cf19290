"""This domain's signal receivers: people hear at once about events they must act on.

Received:
- `core.signals.audit_reported` — sender: the Audit whose report was issued; keyword
  `actor` (the user who issued it). The audited department's heads get an `audit_reported`
  notification (and its email in the outbox when they chose immediate email; the outbox job
  sends it after the request has committed).
- `core.signals.corrective_action_raised` — sender: the CorrectiveAction just raised (by hand
  or for a finding); keyword `actor`. The heads of its department (the coordinators when it
  has none), but not the one who raised it, get `ca_raised` (`ca_raised_due` with its target
  date), keyed `ca:<id>:raised`.
- `core.signals.ca_action_reassigned` — sender: the Action given to someone else; keywords
  `actor`, `previous_owner_id`. The new owner (unless they gave it to themselves) gets
  `ca_action_assigned`.
"""

from __future__ import annotations

from compliance.core import signals
from compliance.notifications.alerts_capa import announce
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


def on_corrective_action_raised(ca, actor=None, **_extra) -> None:
    """Those who must act hear at once that a corrective action waits for its correction."""
    announce(ca, getattr(actor, "id", None))


def on_ca_action_reassigned(action, actor=None, **_extra) -> None:
    """The new owner of an action hears that it is theirs now, and by when."""
    people = {action.owner_id} - {getattr(actor, "id", None)}
    ca = action.corrective_action
    raise_alerts([Alert("ca_action_assigned",
                        f"ca_action:{action.id}:assigned:{action.owner_id}:{action.version}",
                        people, {"reference": ca.reference, "action": action.description[:200],
                                 "due": action.due_on},
                        link("capa.detail", ca_id=ca.id))])


def connect(app) -> None:
    """Listen for the domain events that people should hear about at once."""
    # Module-level receivers, so blinker's weak reference lives as long as the process and a
    # second app (tests build many) connects the same receiver once.
    signals.audit_reported.connect(on_audit_reported)
    signals.corrective_action_raised.connect(on_corrective_action_raised)
    signals.ca_action_reassigned.connect(on_ca_action_reassigned)
