"""This sub-domain's signal receivers.

Received:
- `core.signals.corrective_action_closed` — sender: the CorrectiveAction just closed;
  keyword `actor`. ISO 9001 10.2.1 e: the heads of its department and the coordinators are
  asked whether the risk register needs updating (`ca_closed_risk_review`, key
  `ca:<id>:risk_review`, once), with a link to the department's risks, where the answer is
  recorded (`services.ca_reviews.answer`).
"""

from __future__ import annotations

from compliance.core import signals
from compliance.notifications.recipients import coordinators, link
from compliance.notifications.services import Alert, raise_alerts
from compliance.org import queries as org


def on_corrective_action_closed(ca, actor=None, **_extra) -> None:
    """Those who manage the department's risks are asked to review the register."""
    people = set(org.heads_by_department([ca.department_id]).get(ca.department_id, []))
    people |= set(coordinators())
    raise_alerts([Alert("ca_closed_risk_review", f"ca:{ca.id}:risk_review", people,
                        {"reference": ca.reference, "department_vi": ca.department.name_vi,
                         "department_en": ca.department.name_en},
                        link("quality.risks.register", department=ca.department_id,
                             after_ca=ca.id), news=True)])


def connect() -> None:
    """Listen for the events this sub-domain acts on."""
    # A module-level receiver: blinker keeps it as long as the process, and a second app
    # (tests build many) connects the same function once.
    signals.corrective_action_closed.connect(on_corrective_action_closed)
