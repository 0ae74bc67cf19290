"""Objective, evaluation and context enumerations and their translated labels: forms,
services, pages, reports and PDFs import them from here."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from compliance.quality.objectives.models import (
    CONTEXT_STATES,
    DIRECTIONS,
    ISSUE_KINDS,
    MEASUREMENTS,
    RESULTS,
    STATUSES,
)

__all__ = ["CONTEXT_STATES", "CONTEXT_STATE_LABELS", "DIRECTIONS", "DIRECTION_LABELS",
           "ISSUE_KINDS", "ISSUE_KIND_LABELS", "MEASUREMENTS", "MEASUREMENT_LABELS", "RESULTS",
           "RESULT_LABELS", "STATUSES", "STATUS_LABELS", "ITEM_LABELS", "FIELD_LABELS",
           "FIELD_VALUES", "CONTEXT_FIELD_LABELS", "CONTEXT_FIELD_VALUES"]

MEASUREMENT_LABELS = {"manual": _l("A target value checked by hand"),
                      "measure": _l("A process measure")}
DIRECTION_LABELS = {"higher": _l("Higher is better"), "lower": _l("Lower is better")}
RESULT_LABELS = {"achieved": _l("Achieved"), "partly_achieved": _l("Partly achieved"),
                 "not_achieved": _l("Not achieved")}
STATUS_LABELS = {"open": lazy_pgettext("objective", "In progress"), **RESULT_LABELS}
ITEM_LABELS = {False: lazy_pgettext("plan item", "Not done"),
               True: lazy_pgettext("plan item", "Done")}
ISSUE_KIND_LABELS = {"internal": _l("Internal"), "external": _l("External")}
CONTEXT_STATE_LABELS = {"active": lazy_pgettext("context", "Current"),
                        "retired": _l("No longer relevant")}

# The fields of an objective, its plan items and the context records as their history names
# them; FIELD_VALUES: the labels of the enumerated ones.
FIELD_LABELS = {
    "year": _l("Year"), "department_id": _l("Department"),
    "statement_vi": _l("Objective (Vietnamese)"), "statement_en": _l("Objective (English)"),
    "measurement": _l("How it is measured"), "measure_id": _l("Process measure"),
    "target": _l("Target value"), "unit": _l("Unit"), "direction": _l("Which way is better"),
    "current_value": _l("Current value"), "current_on": _l("Measured on"),
    "result": _l("Result"), "evaluation_comment": _l("Evaluation"),
    "evaluated_on": _l("Evaluated on"), "description": _l("Description"),
    "resources": _l("Resources"), "owner_id": _l("Owner"), "due_on": _l("Due on"),
    "evaluation_method": _l("How it is evaluated"), "done": _l("Done"),
    "done_on": _l("Done on"),
}
CONTEXT_FIELD_LABELS = {
    "kind": _l("Internal or external"), "description": _l("Description"),
    "effect": _l("Effect on the quality system"), "review_on": _l("Next review"),
    "reviewed_on": _l("Review date"), "status": _l("Status"), "name_vi": _l("Name (Vietnamese)"),
    "name_en": _l("Name (English)"), "requirements": _l("Needs and expectations"),
}
FIELD_VALUES = {"measurement": MEASUREMENT_LABELS, "direction": DIRECTION_LABELS,
                "result": RESULT_LABELS, "done": ITEM_LABELS}
CONTEXT_FIELD_VALUES = {"kind": ISSUE_KIND_LABELS, "status": CONTEXT_STATE_LABELS}
