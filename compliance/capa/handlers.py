"""This domain's signal receivers, connected by `web.register(app)`.

- `core.signals.finding_raised` (sender: the Finding, sent only when its grade calls for
  corrective action; keyword `actor`: who recorded it): the finding gets its corrective
  action, verified later by the finding's author when they may verify.
"""

from __future__ import annotations

from compliance.auth.models import User
from compliance.capa.services.raising import raise_from_finding
from compliance.core import clock, signals
from compliance.core.extensions import db


def on_finding_raised(finding, actor=None, **_extra) -> None:
    """Raise the corrective action the finding calls for (once per finding)."""
    raise_from_finding(finding, actor or db.session.get(User, finding.created_by_id),
                       clock.today())


def connect() -> None:
    """Listen for findings that call for corrective action (connecting twice is harmless)."""
    signals.finding_raised.connect(on_finding_raised)
