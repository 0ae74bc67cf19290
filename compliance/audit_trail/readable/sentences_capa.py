"""The sentences of corrective actions' events: raising, correction, root cause, the action
plan, the effectiveness check and closure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from compliance.audit_trail.readable.spec import (
    NOTE,
    REASON,
    labelled,
    person,
    say,
    shown,
)
from compliance.capa.labels import CHECK_LABELS, ISHIKAWA_LABELS, SOURCE_LABELS
from compliance.quality.risks.labels import OUTCOME_LABELS


def action(ctx) -> str:
    """The action of the plan an event concerns, by what it says."""
    return ctx.lookups.action(ctx.get("action"))


def root_cause(ctx) -> str:
    """The last answer of the 5-why chain: the root cause."""
    whys = ctx.get("whys")
    return str(whys[-1]) if isinstance(whys, list) and whys else ""


# The verbs of plan changes (capa.rules.ACTION_CHANGES), one sentence each.
CHANGED = {
    "edit": say(_l("%(actor)s reworded the action “%(action)s”"), changes=("description",),
                action=action),
    "reschedule": say(_l("%(actor)s moved the due date of the action “%(action)s”"),
                      changes=("due_on",), notes=(REASON,), action=action),
    "reassign": say(_l("%(actor)s gave the action “%(action)s” to %(owner)s"),
                    changes=("owner_id",), notes=(REASON,), action=action,
                    owner=person("owner_id")),
    "cancel": say(_l("%(actor)s cancelled the action “%(action)s”"), notes=(REASON,),
                  action=action),
}

FAMILIES = {"corrective.action_*": CHANGED}

SENTENCES = {
    "corrective.raise": say(_l("%(actor)s raised the corrective action %(reference)s "
                               "(%(source)s, %(grade)s)"), reference=shown("reference"),
                            source=labelled("source", SOURCE_LABELS), grade=shown("grade")),
    "corrective.contain": say(_l("%(actor)s recorded the correction made on %(day)s"),
                              notes=(("correction", _l("Correction made")),),
                              day=shown("corrected_on")),
    "corrective.analyse": say(_l("%(actor)s recorded the root-cause analysis (category: "
                                 "%(category)s)"),
                              notes=((root_cause, _l("Root cause")),
                                     ("extent", _l("Extent"))),
                              category=labelled("ishikawa", ISHIKAWA_LABELS)),
    "corrective.action_add": say(_l("%(actor)s added an action to the plan for %(owner)s, due "
                                    "%(day)s: “%(description)s”"), owner=person("owner_id"),
                                 day=shown("due_on"), description=shown("description")),
    "corrective.action_done": say(_l("%(actor)s marked the action “%(action)s” done on "
                                     "%(day)s"), notes=(NOTE,), action=action,
                                  day=shown("done_on")),
    "corrective.file": say(_l("%(actor)s attached the file %(file)s"), file=shown("filename")),
    "corrective.check_scheduled": say(_l("%(actor)s completed the action plan; %(verifier)s "
                                         "checks its effectiveness by %(day)s"),
                                      verifier=person("verifier_id"), day=shown("check_due_on")),
    "corrective.check": say(_l("%(actor)s recorded the effectiveness check: %(result)s"),
                            notes=(("notes", _l("What you checked and found")),),
                            result=labelled("result", CHECK_LABELS)),
    "corrective.close": say(_l("%(actor)s closed the corrective action"),
                            notes=(("note", _l("Closing note")),)),
    "corrective.close_decision": say(_l("%(actor)s closed the corrective action by a recorded "
                                        "decision"), notes=(("decision", _l("Decision")),)),
    "risk.ca_review": say(_l("%(actor)s answered whether the risk register needs updating: "
                             "%(outcome)s"), notes=(("risk", _l("Risk")), NOTE),
                          outcome=labelled("outcome", OUTCOME_LABELS)),
}
