"""Kinds, states, levels and answers of the risk register, with their translated labels.

Forms, services, the heat map's callers, PDFs and other domains import labels from here."""

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

KINDS = ("risk", "opportunity")
KIND_LABELS = {"risk": _l("Risk"), "opportunity": _l("Opportunity")}

# open: identified and rated, treatment planned or under way; treated: the treatment is done
# and the residual level rated; accepted: kept as it is, with the reason; closed: no longer
# relevant (the process changed, the cause went away). A closed one may be reopened.
STATES = ("open", "treated", "accepted", "closed")
STATE_LABELS = {"open": _l("Open"), "treated": _l("Treated"), "accepted": _l("Accepted"),
                "closed": _l("Closed")}
# Which status may follow which (the services refuse the others with the reason).
TRANSITIONS = {"open": ("treated", "accepted", "closed"),
               "treated": ("open", "accepted", "closed"),
               "accepted": ("open", "closed"),
               "closed": ("open",)}
# Not closed: still in the register's picture (heat map, reviews chased).
ACTIVE_STATES = ("open", "treated", "accepted")

LEVEL_LABELS = {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High"),
                "very_high": _l("Very high")}
# The heat map's colours per level: light enough for black figures on them, and printable.
LEVEL_COLOURS = {"low": "#c8e6c9", "medium": "#fff59d", "high": "#ffcc80",
                 "very_high": "#ef9a9a"}
NO_LEVEL_COLOUR = "#eeeeee"
# The bands as the scale form lists them, lowest first (levels.LEVELS' order).
LEVELS_IN_FORM = list(LEVEL_LABELS.items())

ACTION_STATES = ("open", "done")
ACTION_LABELS = {"open": _l("Open"), "done": _l("Done")}

# The answer to "does the risk register need updating?" after a corrective action closed.
OUTCOMES = ("updated", "no_change")
OUTCOME_LABELS = {"updated": _l("Updated a risk"), "no_change": _l("No change needed")}

# Effectiveness of treatment actions (for reports and the management review's input 9.3.2 e).
EFFECTIVENESS_LABELS = {"on_time": _l("Done on time"), "late": _l("Done late"),
                        "open": _l("Open, not yet due"), "overdue": _l("Open and overdue")}


def axis_labels() -> dict[str, str]:
    """The heat map's axis names, in the active language."""
    return {"likelihood": pgettext("risk", "Likelihood"), "impact": pgettext("risk", "Impact")}

# The fields of a risk and of its treatment actions as its history names them;
# FIELD_VALUES: the labels of the enumerated ones.
FIELD_LABELS = {
    "reference": _l("Reference"), "department_id": _l("Department"), "process_id": _l("Process"),
    "kind": _l("Risk or opportunity"), "description": _l("Description"), "cause": _l("Cause"),
    "consequence": _l("Consequence"), "likelihood": _l("Likelihood"), "impact": _l("Impact"),
    "score": _l("Score"), "residual_likelihood": _l("Likelihood after treatment"),
    "residual_impact": _l("Impact after treatment"),
    "residual_score": _l("Score after treatment"), "status": _l("Status"),
    "review_on": _l("Next review"), "owner_id": _l("Owner"), "due_on": _l("Due on"),
    "done_on": _l("Done on"), "done_note": _l("What was done"),
}
FIELD_VALUES = {"kind": KIND_LABELS, "status": STATE_LABELS}
