"""The rule book of the risk register: who may do what to which risk, and which risks a user
sees.

Coordinators (and administrators) manage every department's risks and set the scale; a
department head manages their own departments' risks; the owner of a treatment action marks
it done (and so reads its risk); auditors read every risk; staff read their own departments'.
`may_<verb>` answers *who*; the services answer *when* (a 409 with the reason), and
`allowed_actions` answers both for the buttons of a page.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, or_

from compliance.auth.permissions import DEPARTMENT_PERMISSIONS, can, can_everywhere
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied
from compliance.quality.risks.models import Risk, RiskAction

# Reading ------------------------------------------------------------------------------------


def may_read_all(user) -> bool:
    """Readers of every department's risks (coordinators, auditors, administrators)."""
    return can_everywhere(user, "risks.read")


def may_read_department(user, department_id: int | None) -> bool:
    """Readers of one department's register and heat map."""
    return can(user, "risks.read", department_id)


def may_read(user, risk: Risk) -> bool:
    """Readers of the risk's department, and the owners of its treatment actions."""
    return (may_read_department(user, risk.department_id)
            or any(a.owner_id == user.id for a in risk.actions))


def may_see_history(user, risk: Risk) -> bool:
    """The entry's history: those who read every department's register and the managers of
    its department (its heads); not staff, even owners of its treatment actions."""
    return may_read_all(user) or may_manage(user, risk)


def readable_department_ids(user) -> set[int] | None:
    """The departments whose register the user reads (None: all of them)."""
    if may_read_all(user):
        return None
    scoped = DEPARTMENT_PERMISSIONS["risks.read"]
    return {m.department_id for m in user.memberships if m.role in scoped}


def may_list(user) -> bool:
    """Whether the menu offers the register: readers of all or of some department (owners of
    an action elsewhere reach its risk from their notification)."""
    readable = readable_department_ids(user)
    return readable is None or bool(readable)


def visible_risks(user, stmt):
    """The statement limited to the risks the user may read (as `may_read`)."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, Risk)
    readable = readable_department_ids(user)
    if readable is None:
        return stmt
    owns_an_action = exists().where(RiskAction.risk_id == Risk.id,
                                    RiskAction.owner_id == user.id)
    return stmt.where(or_(Risk.department_id.in_(readable or {-1}), owns_an_action))


# Managing -----------------------------------------------------------------------------------

def may_manage_department(user, department_id: int | None) -> bool:
    """Coordinators everywhere, department heads in their own departments."""
    return can(user, "risks.manage", department_id)


def managed_department_ids(user) -> set[int] | None:
    """Departments whose risks the user manages (None: all of them)."""
    if can_everywhere(user, "risks.manage"):
        return None
    scoped = DEPARTMENT_PERMISSIONS["risks.manage"]
    return {m.department_id for m in user.memberships if m.role in scoped}


def may_create_any(user) -> bool:
    """Whether the user may add a risk to some department's register."""
    return managed_department_ids(user) != set()


def may_manage(user, risk: Risk) -> bool:
    """Who edits, rates, reviews, changes the status of and plans actions for a risk."""
    return may_manage_department(user, risk.department_id)


def may_complete_action(user, action: RiskAction) -> bool:
    """The owner of the treatment action, or a manager of its risk."""
    return action.owner_id == user.id or may_manage(user, action.risk)


def may_set_scale(user) -> bool:
    """Who sets the organisation's scale and level bands: coordinators (and administrators)."""
    return can(user, "risks.scale")


def may_answer_ca_review(user, department_id: int) -> bool:
    """Who records whether the risk register needed updating after a corrective action of a
    department closed: whoever manages that department's risks."""
    return may_manage_department(user, department_id)


# Refusals ----------------------------------------------------------------------------------

def ensure(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied (403) unless allowed."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


def ensure_read(user, risk: Risk) -> None:
    """Refuse unless the user may read this risk."""
    ensure(may_read(user, risk), _("You may not open this risk."))


def ensure_manage(user, risk: Risk) -> None:
    """Refuse unless the user manages this risk's department's register."""
    ensure(may_manage(user, risk),
           _("Only a coordinator or the head of the department can do this."))


def ensure_create(user, department_id: int | None) -> None:
    """Refuse unless the user may add risks to this department's register."""
    ensure(may_manage_department(user, department_id),
           _("You may add risks only to your own department's register."))


def ensure_complete_action(user, action: RiskAction) -> None:
    """Refuse unless the user owns the action or manages its risk."""
    ensure(may_complete_action(user, action),
           _("Only the owner of the action or a manager of the risk can mark it done."))


def ensure_set_scale(user) -> None:
    """Refuse unless the user may set the scale."""
    ensure(may_set_scale(user), _("Only a coordinator sets the risk scale."))


# Buttons -----------------------------------------------------------------------------------

def allowed_actions(user, risk: Risk) -> frozenset[str]:
    """What the user may do to the risk now ("read", "edit", "status", "review",
    "add_action", "link", "complete_action")."""
    if not may_read(user, risk):
        return frozenset()
    allowed = {"read"}
    if may_manage(user, risk):
        allowed.add("status")
        if risk.status != "closed":
            allowed.update({"edit", "review", "add_action", "link"})
    if any("complete" in allowed_on_action(user, a) for a in risk.actions):
        allowed.add("complete_action")
    return frozenset(allowed)


def allowed_on_action(user, action: RiskAction) -> frozenset[str]:
    """What the user may do to one treatment action now ("complete", "edit", "delete")."""
    if action.status != "open" or action.risk.status == "closed":
        return frozenset()
    allowed = {"complete"} if may_complete_action(user, action) else set()
    if may_manage(user, action.risk):
        allowed.update({"edit", "delete"})
    return frozenset(allowed)
