"""The audit domain's states, results and meetings, with their translated labels.

Forms, services, PDFs, reports and other domains import labels from here, never from forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_STATES = ("planned", "in_progress", "reported", "closed", "cancelled")
RESULTS = ("conforming", "major", "minor", "observation", "ofi", "not_applicable")
MEETINGS = ("opening", "closing")

RESULT_LABELS = {
    "conforming": _l("Conforming"), "major": _l("Major nonconformity"),
    "minor": _l("Minor nonconformity"), "observation": _l("Observation"),
    "ofi": _l("Opportunity for improvement"), "not_applicable": _l("Not applicable"),
}
STATE_LABELS = {"planned": _l("Planned"), "in_progress": _l("In progress"),
                "reported": _l("Reported"), "closed": _l("Closed"),
                "cancelled": _l("Cancelled")}
MEETING_LABELS = {"opening": _l("Opening meeting"), "closing": _l("Closing meeting")}
