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
           "RESULT_LABELS", "STATUSES", "STATUS_LABELS", "ITEM_LABELS"]

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
