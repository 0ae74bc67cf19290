"""The rule book of quality objectives, the quality policy's notice, context issues and
interested parties: who may do what, and which objectives a user sees.

Objectives (6.2):
- coordinators (and administrators) manage every objective, the organisation's own included;
- a department head manages their department's objectives: the statement and measurement,
  the plan items, the progress notes and the year-end evaluation;
- the owner of a plan item marks it done (or not done again), and reads its objective;
- auditors read every objective; staff and heads read their department's;
- the organisation's objectives (no department) are read by everyone signed in with a role,
  since every person must be aware of the quality objectives (7.3 b).

Context (4.1) and interested parties (4.2) belong to the organisation: coordinators manage
them; administrators, coordinators, auditors and department heads read them (heads plan
their objectives and risks from them). Staff do not: nothing in their work reads them, and
the register can hold candid notes on the organisation's weaknesses.

`may_<verb>` answers *who*; the services answer *when* (an evaluated objective no longer
changes: a 409 with the reason). `allowed_actions` answers both, for the buttons.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import exists, or_

from compliance.auth.permissions import (
    DEPARTMENT_PERMISSIONS,
    can,
    can_everywhere,
    roles_of,
)
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied
from compliance.quality.objectives.models import Objective, PlanItem

# The year-end evaluation opens on 1 December of the objective's year: agencies write their
# year's summary report (báo cáo tổng kết năm) in December, and an objective judged earlier
# would be judged on part of the year.
EVALUATION_OPENS = (12, 1)


def evaluation_opens(year: int) -> date:
    """The first day an objective of that year may be evaluated."""
    return date(year, *EVALUATION_OPENS)


# Objectives ----------------------------------------------------------------------------------


def may_read_all(user) -> bool:
    """Readers of every department's objectives (coordinators, auditors, administrators)."""
    return can(user, "objectives.read")


def owns_an_item(user, objective: Objective) -> bool:
    """Whether the user owns one of the objective's plan items."""
    return any(item.owner_id == user.id for item in objective.items)


def may_read(user, objective: Objective) -> bool:
    """Everyone signed in for the organisation's objectives; for a department's, its staff
    and head, the owners of its plan items, and those who read all."""
    if not roles_of(user):
        return False
    if objective.department_id is None:
        return True
    return (can(user, "objectives.read", objective.department_id)
            or owns_an_item(user, objective))


def may_see_history(user, objective: Objective) -> bool:
    """The objective's history: those who read every department's objectives and its
    managers (its department's heads; coordinators for the organisation's); not staff."""
    return may_read_all(user) or may_manage(user, objective)


def readable_department_ids(user) -> set[int]:
    """Departments whose objectives the user reads through a membership."""
    scoped = DEPARTMENT_PERMISSIONS["objectives.read"]
    return {m.department_id for m in user.memberships if m.role in scoped}


def visible_objectives(user, stmt):
    """The statement limited to the objectives the user may read (as `may_read`)."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, Objective)
    if may_read_all(user):
        return stmt
    if not roles_of(user):
        return stmt.where(Objective.id.is_(None))
    owns = exists().where(PlanItem.objective_id == Objective.id, PlanItem.owner_id == user.id)
    return stmt.where(or_(Objective.department_id.is_(None),
                          Objective.department_id.in_(readable_department_ids(user) or {-1}),
                          owns))


def managed_department_ids(user) -> set[int] | None:
    """Departments whose objectives the user manages (None: all, the organisation's too)."""
    if can_everywhere(user, "objectives.manage"):
        return None
    scoped = DEPARTMENT_PERMISSIONS["objectives.manage"]
    return {m.department_id for m in user.memberships if m.role in scoped}


def may_manage_in(user, department_id: int | None) -> bool:
    """Coordinators for every department and the organisation; heads for their own."""
    if department_id is None:
        return can_everywhere(user, "objectives.manage")
    return can(user, "objectives.manage", department_id)


def may_create_any(user) -> bool:
    """Whether the user may set objectives somewhere."""
    return managed_department_ids(user) != set()


def may_manage(user, objective: Objective) -> bool:
    """Who edits the objective, plans it, notes progress and evaluates it."""
    return may_manage_in(user, objective.department_id)


def may_edit(user, objective: Objective) -> bool:
    """Who changes the statement and how it is measured: a manager of the objective."""
    return may_manage(user, objective)


def may_plan(user, objective: Objective) -> bool:
    """Who adds and changes plan items: a manager of the objective."""
    return may_manage(user, objective)


def may_note_progress(user, objective: Objective) -> bool:
    """Who records progress (and the value measured by hand): a manager of the objective."""
    return may_manage(user, objective)


def may_evaluate(user, objective: Objective) -> bool:
    """Who records the year-end evaluation: a manager of the objective."""
    return may_manage(user, objective)


def may_complete_item(user, item: PlanItem) -> bool:
    """The owner of the plan item, or a manager of its objective."""
    return item.owner_id == user.id or may_manage(user, item.objective)


def may_see_policy_missing(user) -> bool:
    """Who is told on the home page that no quality policy is in force: coordinators."""
    return can_everywhere(user, "objectives.manage")


# Context and interested parties --------------------------------------------------------------

def may_read_context(user) -> bool:
    """Administrators, coordinators, auditors and department heads (not staff)."""
    return can(user, "context.read")


def may_see_context_history(user) -> bool:
    """The history of an issue or an interested party: whoever reads the context (not
    staff, who read none of it)."""
    return may_read_context(user)


def may_manage_context(user) -> bool:
    """Coordinators (and administrators) keep the context and the interested parties."""
    return can(user, "context.manage")


# Refusals ------------------------------------------------------------------------------------

def ensure(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied (403) unless allowed."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


def ensure_read(user, objective: Objective) -> None:
    """Refuse unless the user may read this objective."""
    ensure(may_read(user, objective), _("You may not open this objective."))


def ensure_manage(user, objective: Objective) -> None:
    """Refuse unless the user manages this objective."""
    ensure(may_manage(user, objective),
           _("Only a coordinator or the head of the department can do this."))


def ensure_manage_in(user, department_id: int | None) -> None:
    """Refuse unless the user may set objectives for this department (or the organisation)."""
    if department_id is None:
        ensure(may_manage_in(user, None),
               _("Only a coordinator sets the objectives of the organisation as a whole."))
    ensure(may_manage_in(user, department_id),
           _("You may set objectives only for your own department."))


def ensure_complete_item(user, item: PlanItem) -> None:
    """Refuse unless the user owns the plan item or manages its objective."""
    ensure(may_complete_item(user, item),
           _("Only the owner of the plan item or a manager of the objective can mark it."))


def ensure_read_context(user) -> None:
    """Refuse unless the user may read the context and the interested parties."""
    ensure(may_read_context(user),
           _("The context of the organisation is read by coordinators, auditors and "
             "department heads."))


def ensure_manage_context(user) -> None:
    """Refuse unless the user keeps the context and the interested parties."""
    ensure(may_manage_context(user),
           _("Only a coordinator keeps the context and the interested parties."))


# Buttons -------------------------------------------------------------------------------------

def allowed_actions(user, objective: Objective, today: date) -> frozenset[str]:
    """What the user may do to the objective now (role, relationship, state and date)."""
    if not may_read(user, objective):
        return frozenset()
    allowed = {"read"}
    if may_manage(user, objective):
        # Evaluated, it is closed: only the evaluation itself may still be corrected.
        if today >= evaluation_opens(objective.year):
            allowed.add("evaluate")
        if objective.result is None:
            allowed.update({"edit", "add_item", "progress", "delete"})
    return frozenset(allowed)


def allowed_on_item(user, item: PlanItem) -> frozenset[str]:
    """What the user may do to one plan item now ("done", "reopen", "edit", "delete")."""
    if item.objective.result is not None:
        return frozenset()
    allowed = set()
    if may_complete_item(user, item):
        allowed.add("reopen" if item.done else "done")
    if may_plan(user, item.objective):
        allowed.add("edit")
        if not item.done:
            allowed.add("delete")
    return frozenset(allowed)


def allowed_on_context(user) -> frozenset[str]:
    """What the user may do on the context pages ("read", "manage")."""
    allowed = set()
    if may_read_context(user):
        allowed.add("read")
    if may_manage_context(user):
        allowed.add("manage")
    return frozenset(allowed)
