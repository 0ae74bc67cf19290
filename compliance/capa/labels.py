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

# The fields of a corrective action and of the actions of its plan as its history names
# them; FIELD_VALUES: the labels of the enumerated ones.
FIELD_LABELS = {
    "reference": _l("Reference"), "source": _l("Source"), "department_id": _l("Department"),
    "grade": _l("Grade"), "problem": _l("Problem statement"), "status": _l("Status"),
    "verifier_id": _l("Verifier"), "target_on": _l("Target date"),
    "description": _l("Description"), "owner_id": _l("Who carries it out"),
    "due_on": _l("Due on"), "done_on": _l("Done on"), "correction": _l("Correction made"),
    "corrected_on": _l("Date of the correction"),
    "extent": _l("Extent: could this occur elsewhere?"),
    "ishikawa": _l("Ishikawa category"),
}
FIELD_VALUES = {"status": STATE_LABELS, "source": SOURCE_LABELS, "ishikawa": ISHIKAWA_LABELS,
                "result": CHECK_LABELS}
