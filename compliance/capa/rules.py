"""The rule book of corrective actions: who may do what to which one, and which ones a user sees.

`may_<verb>` answers *who* (role and relationship: head of the department, action owner,
verifier); the state machine in the services answers *when* (a 409 with the reason).
`allowed_actions` answers both, for the buttons of a page (and the coming API).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, or_

from compliance.auth.permissions import DEPARTMENT_PERMISSIONS, can, roles_of
from compliance.capa.models import Action, CorrectiveAction
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied

# Who may be named verifier of a corrective action (organisation-wide roles).
VERIFIER_ROLES = frozenset({"admin", "coordinator", "auditor"})
# Roles that raise corrective actions in every department.
RAISE_ANYWHERE_ROLES = frozenset({"admin", "coordinator"})
# States in which evidence files about the nonconformity may still be added.
OPEN_STATES = ("open", "contained", "analysed", "actions_in_progress", "verifying")
PLANNING_STATES = ("analysed", "actions_in_progress")


# Reading ------------------------------------------------------------------------------------

def may_read_all(user) -> bool:
    """Readers of every department's corrective actions (coordinators, auditors, admins)."""
    return can(user, "corrective.read")


def may_read(user, ca: CorrectiveAction) -> bool:
    """Readers of the department, the owners of its actions and its verifier."""
    return (can(user, "corrective.read", ca.department_id) or user.id == ca.verifier_id
            or any(a.owner_id == user.id for a in ca.actions))


def may_see_history(user, ca: CorrectiveAction) -> bool:
    """The corrective action's history: readers of its department (its heads; coordinators,
    auditors and administrators everywhere) and its verifier. Staff who only carry out an
    action of its plan see the plan, not the history."""
    return getattr(user, "id", None) is not None and (
        can(user, "corrective.read", ca.department_id) or user.id == ca.verifier_id)


def visible_corrective_actions(user, stmt):
    """The statement limited to the corrective actions the user may read (as `may_read`)."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, CorrectiveAction)
    if may_read_all(user):
        return stmt
    scoped = DEPARTMENT_PERMISSIONS["corrective.read"]
    readable = {m.department_id for m in user.memberships if m.role in scoped}
    owns_an_action = exists().where(Action.corrective_action_id == CorrectiveAction.id,
                                    Action.owner_id == user.id)
    return stmt.where(or_(CorrectiveAction.department_id.in_(readable or {-1}), owns_an_action,
                          CorrectiveAction.verifier_id == user.id))


# Raising ------------------------------------------------------------------------------------

def managed_department_ids(user) -> set[int] | None:
    """Departments the user may raise corrective actions for (None: all of them)."""
    if roles_of(user) & RAISE_ANYWHERE_ROLES:
        return None
    return user.department_ids("department_head")


def may_raise_any(user) -> bool:
    """Whether the user may raise a corrective action by hand in some department."""
    return managed_department_ids(user) != set()


def may_raise(user, department_id: int | None) -> bool:
    """Coordinators everywhere, department heads in their own department."""
    return can(user, "corrective.manage", department_id)


def may_be_verifier(user) -> bool:
    """Active coordinators, auditors and administrators may be named verifier."""
    return user is not None and bool(user.active) and bool(set(user.global_roles)
                                                           & VERIFIER_ROLES)


# Working on one corrective action -----------------------------------------------------------

def may_manage(user, ca: CorrectiveAction) -> bool:
    """Coordinators everywhere, department heads in their own department."""
    return can(user, "corrective.manage", ca.department_id)


def may_contain(user, ca: CorrectiveAction) -> bool:
    """Who records the immediate correction: a manager of the corrective action."""
    return may_manage(user, ca)


def may_analyse(user, ca: CorrectiveAction) -> bool:
    """Who records the root cause: a manager of the corrective action."""
    return may_manage(user, ca)


def may_add_action(user, ca: CorrectiveAction) -> bool:
    """Who plans actions: a manager of the corrective action."""
    return may_manage(user, ca)


def may_add_file(user, ca: CorrectiveAction) -> bool:
    """Who adds evidence about the nonconformity: a manager of the corrective action."""
    return may_manage(user, ca)


def may_decide(user, ca: CorrectiveAction) -> bool:
    """Who closes an observation by a recorded decision: a manager of the corrective action."""
    return may_manage(user, ca)


def may_complete_action(user, action: Action) -> bool:
    """The owner of the action, or a manager of its corrective action."""
    return action.owner_id == user.id or may_manage(user, action.corrective_action)


def may_change_action(user, action: Action) -> bool:
    """Who edits, reschedules, reassigns or cancels an action: a manager of its corrective
    action (a coordinator, or the head of the department), never the owner as such."""
    return may_manage(user, action.corrective_action)


def may_edit_action(user, action: Action) -> bool:
    """Who rewords an action: a manager of the corrective action."""
    return may_change_action(user, action)


def may_reschedule_action(user, action: Action) -> bool:
    """Who moves an action's due date (with a reason): a manager of the corrective action."""
    return may_change_action(user, action)


def may_reassign_action(user, action: Action) -> bool:
    """Who gives an action to someone else: a manager of the corrective action."""
    return may_change_action(user, action)


def may_cancel_action(user, action: Action) -> bool:
    """Who cancels an action (with a reason): a manager of the corrective action."""
    return may_change_action(user, action)


def may_verify(user, ca: CorrectiveAction) -> bool:
    """Coordinators, or the verifier named on the corrective action (never the head as such)."""
    return can(user, "corrective.verify") or (ca.verifier_id is not None
                                              and user.id == ca.verifier_id)


def may_record_check(user, ca: CorrectiveAction) -> bool:
    """Who judges effectiveness: whoever may verify."""
    return may_verify(user, ca)


def may_close(user, ca: CorrectiveAction) -> bool:
    """Who closes after an effective check: whoever may verify."""
    return may_verify(user, ca)


# Refusals ----------------------------------------------------------------------------------

def ensure(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied (403) unless allowed."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


def ensure_read(user, ca: CorrectiveAction) -> None:
    """Refuse unless the user may read this corrective action."""
    ensure(may_read(user, ca), _("You may not open this corrective action."))


def ensure_manage(user, ca: CorrectiveAction) -> None:
    """Refuse unless the user manages corrective actions of this department."""
    ensure(may_manage(user, ca),
           _("Only a coordinator or the head of the department can do this."))


def ensure_verify(user, ca: CorrectiveAction) -> None:
    """Refuse unless the user may verify this corrective action."""
    ensure(may_verify(user, ca), _("Only a coordinator or the verifier of this corrective "
                                   "action can do this."))


def ensure_complete_action(user, action: Action) -> None:
    """Refuse unless the user owns the action or manages its corrective action."""
    ensure(may_complete_action(user, action),
           _("Only the owner of the action or a manager of the corrective action can mark it "
             "done."))


def ensure_change_action(user, action: Action) -> None:
    """Refuse unless the user may change this action (edit, reschedule, reassign, cancel)."""
    ensure(may_change_action(user, action),
           _("Only a coordinator or the head of the department can change an action."))


def ensure_raise(user, department_id: int | None) -> None:
    """Refuse unless the user may raise corrective actions in the department."""
    ensure(may_raise(user, department_id),
           _("You may raise corrective actions only for your own department."))


# Buttons -----------------------------------------------------------------------------------

def allowed_actions(user, ca: CorrectiveAction) -> frozenset[str]:
    """What the user may do to the corrective action now (role, relationship and state)."""
    allowed = set()
    if not may_read(user, ca):
        return frozenset()
    allowed.update({"read", "download"})
    manage, verify = may_manage(user, ca), may_verify(user, ca)
    if manage and ca.status in OPEN_STATES:
        allowed.add("upload")
    if manage and ca.status == "open":
        allowed.add("contain")
        if not ca.grade_rule.raises_corrective_action:
            allowed.add("decide")
    if manage and ca.status == "contained":
        allowed.add("analyse")
    if manage and ca.status in PLANNING_STATES:
        allowed.add("add_action")
    if ca.status == "actions_in_progress" and any(
            "complete" in allowed_on_action(user, a) for a in ca.actions):
        allowed.add("complete_action")
    if verify and ca.status == "verifying":
        allowed.add("close")
        if ca.current_check is not None and ca.current_check.status == "pending":
            allowed.add("record_check")
    return frozenset(allowed)


# What may be done to an open action of a corrective action not closed yet, and by whom.
ACTION_CHANGES = {"edit": may_edit_action, "reschedule": may_reschedule_action,
                  "reassign": may_reassign_action, "cancel": may_cancel_action}


def allowed_on_action(user, action: Action) -> frozenset[str]:
    """What the user may do to one action of the plan now ("complete", "edit", "reschedule",
    "reassign", "cancel")."""
    ca = action.corrective_action
    if action.status != "open" or ca.status not in OPEN_STATES:
        return frozenset()
    allowed = {name for name, may in ACTION_CHANGES.items() if may(user, action)}
    if ca.status == "actions_in_progress" and may_complete_action(user, action):
        allowed.add("complete")
    return frozenset(allowed)
