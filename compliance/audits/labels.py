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

# The fields of an audit (and of its programme, items and findings) as its history names
# them; FIELD_VALUES: the labels of the enumerated ones.
FIELD_LABELS = {
    "reference": _l("Reference"), "department_id": _l("Audited department"),
    "status": _l("Status"), "planned_start": _l("Planned start"),
    "planned_end": _l("Planned end"), "lead_auditor_id": _l("Lead auditor"),
    "team": _l("Audit team"), "clauses": _l("ISO clauses in scope"),
    "processes": _l("Processes in scope"), "criteria": _l("Audit criteria"),
    "result": _l("Result"), "notes": _l("Notes"), "response_due_on": _l("Response due"),
    "title": _l("Title"), "period_start": _l("Period starts"), "period_end": _l("Period ends"),
}
FIELD_VALUES = {"status": STATE_LABELS, "result": RESULT_LABELS}
