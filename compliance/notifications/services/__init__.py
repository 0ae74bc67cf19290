"""The notification verbs: raising alerts, marking read, the email choice (none commits)."""

from compliance.core.db import INSERT_SLICE
from compliance.notifications.services.alerts import Alert, not_raised, raise_alerts, sweep
from compliance.notifications.services.inbox import mark_all_read, mark_read
from compliance.notifications.services.settings import set_email_mode

__all__ = ["INSERT_SLICE", "Alert", "mark_all_read", "mark_read", "not_raised", "raise_alerts",
           "set_email_mode", "sweep"]
