"""Where a corrective action stands: open → contained → analysed → actions in progress →
verifying → closed (a grade that needs no action: open → closed by a decision), what stands
before its next step and who must act. Data for templates/_macros/steps.html."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from compliance.capa.labels import STATE_LABELS
from compliance.capa.models import CorrectiveAction
from compliance.capa.services import closure_problems
from compliance.core.locale import format_day
from compliance.core.steps import Progress, progress

PATH = tuple((state, STATE_LABELS[state]) for state in (
    "open", "contained", "analysed", "actions_in_progress", "verifying", "closed"))
# Observations and opportunities for improvement are closed from open by a decision.
DECIDED = (PATH[0], PATH[-1])


def corrective_progress(ca: CorrectiveAction) -> Progress:
    """The corrective action's place on its path."""
    title = _("Where the corrective action %(reference)s stands", reference=ca.reference)
    decided = not ca.grade_rule.raises_corrective_action
    blockers, actors = _next(ca, decided)
    return progress(title, DECIDED if decided else PATH, ca.status, blockers=blockers,
                    actors=actors)


def _managers(ca: CorrectiveAction) -> list[str]:
    """Who moves the corrective action on: its department's heads, or a coordinator."""
    return sorted(u.name for u in ca.department.heads() if u.active) + [_("an ISO coordinator")]


def _next(ca: CorrectiveAction, decided: bool) -> tuple[list[str], list[str]]:
    if ca.status == "open":
        if decided:
            return [_("It is closed with a recorded decision.")], _managers(ca)
        return [_("The correction (what was done at once) must be recorded.")], _managers(ca)
    if ca.status == "contained":
        return [_("The root cause must be analysed.")], _managers(ca)
    if ca.status == "analysed":
        return [_("The plan needs at least one action.")], _managers(ca)
    if ca.status == "actions_in_progress":
        waiting = [a for a in ca.actions if a.status == "open"]
        return ([ngettext("%(num)d action of the plan is not done yet.",
                          "%(num)d actions of the plan are not done yet.", len(waiting))],
                sorted({a.owner.name for a in waiting if a.owner is not None}))
    if ca.status == "verifying":
        return _verifying(ca)
    return [], []


def _verifying(ca: CorrectiveAction) -> tuple[list[str], list[str]]:
    check = ca.current_check
    blockers = []
    if check is not None and check.status == "pending":
        blockers.append(_("The verifier records the effectiveness check (due %(day)s).",
                          day=format_day(check.due_on)))
    blockers.extend(p for p in closure_problems(ca) if p not in blockers)
    verifier = ca.verifier.name if ca.verifier is not None else _("an ISO coordinator")
    return blockers or [_("The verifier closes the corrective action.")], [verifier]
