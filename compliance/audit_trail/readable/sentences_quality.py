"""The sentences of the quality system's events: measures and their values, objectives and
their plans, the context (issues, interested parties), risks and their treatment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from compliance.audit_trail.readable.spec import (
    NOTE,
    labelled,
    localised,
    person,
    say,
    shown,
)
from compliance.quality.measures.labels import period_title
from compliance.quality.objectives.labels import RESULT_LABELS as OBJECTIVE_RESULTS
from compliance.quality.risks.labels import KIND_LABELS, STATE_LABELS


def period(ctx) -> str:
    """The value's period as a reader writes it ("6 tháng đầu năm 2026", not 2026-H1)."""
    code = ctx.get("period")
    return period_title(code) if isinstance(code, str) else ctx.show("period", code)


def recorded(ctx, found: dict) -> str:
    """A measured value, and whether it missed its target."""
    if ctx.get("missed"):
        return str(_l("%(actor)s recorded %(value)s for %(period)s: the target of %(target)s "
                      "was missed")) % found
    return str(_l("%(actor)s recorded %(value)s for %(period)s (target %(target)s)")) % found


# The context's two kinds of record (quality.objectives.services.context.ENTITY).
CONTEXT_KINDS = ("context_issue", "interested_party")
CONTEXT = {
    "create": {"context_issue": _l("%(actor)s recorded the issue “%(what)s”"),
               "interested_party": _l("%(actor)s recorded the interested party “%(what)s”")},
    "edit": {"context_issue": _l("%(actor)s changed the issue"),
             "interested_party": _l("%(actor)s changed the interested party")},
    "review": {"context_issue": _l("%(actor)s reviewed the issue (next review %(day)s)"),
               "interested_party": _l("%(actor)s reviewed the interested party (next review "
                                      "%(day)s)")},
}
CONTEXT_WHAT = {"context_issue": shown("description"),
                "interested_party": localised("name_vi", "name_en")}

FAMILIES = {
    "*.create": {kind: say(CONTEXT["create"][kind], what=CONTEXT_WHAT[kind])
                 for kind in CONTEXT_KINDS},
    "*.edit": {kind: say(CONTEXT["edit"][kind], changes=True) for kind in CONTEXT_KINDS},
    "*.review": {kind: say(CONTEXT["review"][kind], day=shown("review_on"))
                 for kind in CONTEXT_KINDS},
}

MEASURES = {
    "measure.create": say(_l("%(actor)s defined the measure %(code)s “%(name)s”"),
                          code=shown("code"), name=localised("name_vi", "name_en")),
    "measure.update": say(_l("%(actor)s changed the measure"), changes=True),
    "measure_value.record": say(recorded, notes=(NOTE,), value=shown("value"),
                                period=period, target=shown("target")),
    "measure_value.corrective_action": say(_l("%(actor)s raised the corrective action "
                                              "%(reference)s about %(period)s"),
                                           reference=shown("reference"), period=period),
    "measure_import.upload": say(_l("%(actor)s uploaded the file %(file)s of measured values "
                                    "to check it"), file=shown("filename")),
    "measure_import.confirm": say(_l("%(actor)s wrote the values of an uploaded file "
                                     "(%(written)s written, %(refused)s refused)"),
                                  written=shown("written"), refused=shown("refused")),
}
OBJECTIVES = {
    "objective.create": say(_l("%(actor)s set the objective for %(year)s: “%(statement)s”"),
                            year=shown("year"),
                            statement=localised("statement_vi", "statement_en")),
    "objective.copy": say(_l("%(actor)s set the objective for %(year)s by copying one of the "
                             "year before"), year=shown("year")),
    "objective.edit": say(_l("%(actor)s changed the objective"), changes=True),
    "objective.progress": say(_l("%(actor)s noted progress on %(day)s"),
                              changes=("current_value",), notes=(("text", _l("Note")),),
                              day=shown("noted_on")),
    "objective.evaluate": say(_l("%(actor)s evaluated the objective: %(result)s"),
                              notes=(("evaluation_comment", _l("Evaluation")),),
                              result=labelled("result", OBJECTIVE_RESULTS)),
    "objective.delete": say(_l("%(actor)s deleted the objective")),
    "objective.item_add": say(_l("%(actor)s added to the plan, for %(owner)s by %(day)s: "
                                 "“%(description)s”"), owner=person("owner_id"),
                              day=shown("due_on"), description=shown("description")),
    "objective.item_edit": say(_l("%(actor)s changed an item of the plan"), changes=True),
    "objective.item_done": say(_l("%(actor)s marked done: “%(description)s”"),
                               description=shown("description")),
    "objective.item_reopen": say(_l("%(actor)s marked not done again: “%(description)s”"),
                                 description=shown("description")),
    "objective.item_delete": say(_l("%(actor)s removed from the plan: “%(description)s”"),
                                 description=shown("description")),
}
RISKS = {
    "risk.create": say(_l("%(actor)s recorded the %(kind)s %(reference)s"),
                       kind=labelled("kind", KIND_LABELS), reference=shown("reference")),
    "risk.update": say(_l("%(actor)s changed the risk register entry"), changes=True),
    "risk.status": say(_l("%(actor)s changed the status from %(before)s to %(after)s"),
                       notes=(NOTE,), before=labelled("status", STATE_LABELS, before=True),
                       after=labelled("status", STATE_LABELS)),
    "risk.review": say(_l("%(actor)s reviewed the entry (next review %(day)s)"),
                       notes=(NOTE,), day=shown("review_on")),
    "risk.link": say(_l("%(actor)s linked a finding or a corrective action to the entry"),
                     notes=(NOTE,)),
    "risk.action_add": say(_l("%(actor)s added a treatment action for %(owner)s, due %(day)s: "
                              "“%(description)s”"), owner=person("owner_id"),
                           day=shown("due_on"), description=shown("description")),
    "risk.action_edit": say(_l("%(actor)s changed a treatment action"), changes=True),
    "risk.action_delete": say(_l("%(actor)s removed the treatment action “%(description)s”"),
                              description=shown("description")),
    "risk.action_done": say(_l("%(actor)s marked the treatment action “%(description)s” done"),
                            notes=(("done_note", _l("What was done")),),
                            description=shown("description")),
    "risk_scale.update": say(_l("%(actor)s changed the risk scale")),
}

SENTENCES = {**MEASURES, **OBJECTIVES, **RISKS}
