"""Corrective-action states, sources, root-cause categories and their translated labels.

Forms, services, exports, PDFs, reports and other domains import labels from here."""

from flask_babel import lazy_gettext as _l

STATE_LABELS = {"open": _l("Open"), "contained": _l("Contained"), "analysed": _l("Analysed"),
                "actions_in_progress": _l("Actions in progress"),
                "verifying": _l("Verifying effectiveness"), "closed": _l("Closed")}
SOURCE_LABELS = {"finding": _l("Audit finding"), "complaint": _l("Complaint"),
                 "process": _l("Process problem"), "other": _l("Other")}
ISHIKAWA_LABELS = {"people": _l("People"), "method": _l("Method"), "machine": _l("Machine"),
                   "material": _l("Material"), "measurement": _l("Measurement"),
                   "environment": _l("Environment")}
ACTION_LABELS = {"open": _l("Open"), "done": _l("Done"), "cancelled": _l("Cancelled")}
CHECK_LABELS = {"pending": _l("Pending"), "effective": _l("Effective"),
                "not_effective": _l("Not effective")}
# The verifier's two possible judgements (what the check form offers).
RESULT_LABELS = {"effective": _l("Effective"), "not_effective": _l("Not effective")}
