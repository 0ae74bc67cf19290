"""Who may do what to audits: the one rule book of the audits domain.

`may_<verb>` answers for the person and their relationship to the audit (lead auditor, team,
member or head of the audited department, role). The states in which each action makes sense
are in `STATES_FOR`; services refuse a wrong state with 409 and a wrong person with 403, and
`allowed_actions` (the buttons a page shows) asks both.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import false, or_, select

from compliance.audits.models import Audit, audit_team
from compliance.auth.permissions import DEPARTMENT_PERMISSIONS, PERMISSIONS, can, roles_of
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied

# Who may be named lead auditor or team member of an audit.
AUDITOR_ROLES = frozenset({"auditor", "coordinator", "admin"})

# The states in which an action on an audit can be taken. "record" covers everything an
# auditor records while the audit runs: checklist items, results, evidence, findings.
# Meetings may be recorded until the audit is closed: the closing meeting often follows the
# signed report, and the report (rendered from the rows at each download) shows it.
STATES_FOR: dict[str, tuple[str, ...]] = {
    "edit": ("planned",),
    "start": ("planned",),
    "record": ("in_progress",),
    "meeting": ("in_progress", "reported"),
    "sign": ("in_progress",),
    "close": ("reported",),
    "report_pdf": ("reported", "closed"),
    "cancel": ("planned", "in_progress"),
    "reschedule": ("planned", "in_progress"),
    # A finding's response due date: set while the audit runs or once reported.
    "set_due": ("in_progress", "reported"),
    # The audited department answers the findings of the signed report.
    "respond": ("reported",),
}


def ensure(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied unless the rule allowed it."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


def _id(user) -> int | None:
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def is_auditor(user) -> bool:
    """Whether a person can be named to an audit team (active, with an auditor role)."""
    return bool(user.active and set(user.global_roles) & AUDITOR_ROLES)


def belongs_to_audited(user, audit: Audit) -> bool:
    """Whether the person is a member (any role) of the audited department, now."""
    return _id(user) is not None and audit.department_id in user.department_ids()


def on_team(user, audit: Audit) -> bool:
    """Whether the person is the lead auditor or on the team of this audit."""
    return _id(user) is not None and user.id in audit.auditor_ids()


def may_read(user, audit: Audit) -> bool:
    """Auditors and coordinators read every audit; a head reads their department's; the
    audit's own auditors read it."""
    if _id(user) is None:
        return False
    return can(user, "audits.read", audit.department_id) or on_team(user, audit)


def may_see_history(user, audit: Audit) -> bool:
    """The audit's history (plan, checklist results, findings, meetings, report): whoever
    reads the audit, that is coordinators, auditors, administrators, the audit's own team and
    the audited department's heads. Staff read no audit, so no history either."""
    return may_read(user, audit)


def may_list(user) -> bool:
    """Whether the audits page has anything for this person at all."""
    return can(user, "audits.read") or bool(_id(user) and user.department_ids("department_head"))


def may_read_programmes(user) -> bool:
    """Auditors and coordinators see the programmes and their coverage grids."""
    return can(user, "audits.read")


def may_plan(user, programme=None) -> bool:
    """Coordinators open programmes and plan audits in them."""
    return can(user, "audits.plan")


def may_edit(user, audit: Audit) -> bool:
    """Whoever plans audits changes a planned one."""
    return may_plan(user)


def may_conduct(user, audit: Audit) -> bool:
    """The audit's own auditors (or a coordinator) record it — never someone who belongs to
    the audited department, whatever their role and whenever they joined it."""
    return (may_plan(user) or on_team(user, audit)) and not belongs_to_audited(user, audit)


def may_sign_report(user, audit: Audit) -> bool:
    """Only the lead auditor signs the report, and an auditor never audits their own
    department."""
    return _id(user) == audit.lead_auditor_id and not belongs_to_audited(user, audit)


def may_close(user, audit: Audit) -> bool:
    """A coordinator closes a reported audit."""
    return may_plan(user)


def may_cancel(user, audit: Audit) -> bool:
    """Whoever plans audits cancels one that has not been reported (with a reason)."""
    return may_plan(user)


def may_reschedule(user, audit: Audit) -> bool:
    """Whoever plans audits moves one that has not been reported (with a reason)."""
    return may_plan(user)


def may_edit_programme(user, programme=None) -> bool:
    """Whoever plans audits changes a programme's title, period and notes."""
    return may_plan(user)


def may_set_due(user, audit: Audit) -> bool:
    """The audit's auditors (or a coordinator) set the date by which a finding is answered."""
    return may_conduct(user, audit)


def may_respond(user, audit: Audit) -> bool:
    """The head of the audited department answers its findings; a coordinator may record an
    answer given on paper."""
    return _id(user) is not None and can(user, "audits.respond", audit.department_id)


def may_manage_questions(user) -> bool:
    """Coordinators keep the question bank."""
    return can(user, "audits.questions")


def may_manage_grades(user) -> bool:
    """Coordinators adjust the finding grades and their closure rules."""
    return can(user, "audits.grades")


def ensure_conduct(user, audit: Audit) -> None:
    """Refuse anyone who may not record this audit, saying why."""
    if not (may_plan(user) or on_team(user, audit)):
        raise PermissionDenied(_("Only the auditors assigned to this audit can record it."))
    if belongs_to_audited(user, audit):
        raise PermissionDenied(_("You belong to the audited department, so you may not "
                                 "record this audit."))


def ensure_sign_report(user, audit: Audit) -> None:
    """Refuse anyone but the lead auditor (and a lead now in the audited department)."""
    if _id(user) != audit.lead_auditor_id:
        raise PermissionDenied(_("Only the lead auditor signs the report."))
    if belongs_to_audited(user, audit):
        raise PermissionDenied(_("You belong to the audited department, so you may not "
                                 "record this audit."))


def ensure_read(user, audit: Audit) -> None:
    """Refuse anyone who may not open this audit."""
    ensure(may_read(user, audit), _("You may not open this audit."))


def visible_audits(user, stmt):
    """Limit a select of audits to those the person may read (the same rule as may_read)."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, Audit)
    uid = _id(user)
    roles = roles_of(user)
    if roles & PERMISSIONS["audits.read"]:
        return stmt
    if uid is None:
        return stmt.where(false())
    scoped = DEPARTMENT_PERMISSIONS["audits.read"]
    heads = {m.department_id for m in user.memberships if m.role in scoped} if roles else set()
    team = select(audit_team.c.audit_id).where(audit_team.c.user_id == uid)
    return stmt.where(or_(Audit.department_id.in_(heads), Audit.lead_auditor_id == uid,
                          Audit.id.in_(team)))


_AUDIT_RULES = {"edit": may_edit, "start": may_conduct, "record": may_conduct,
                "meeting": may_conduct, "sign": may_sign_report, "close": may_close,
                "report_pdf": may_read, "cancel": may_cancel, "reschedule": may_reschedule,
                "set_due": may_set_due, "respond": may_respond}


def allowed_actions(user, obj=None) -> frozenset[str]:
    """What the person can do now: on an audit ("read", "edit", "start", "record", "meeting",
    "sign", "close", "report_pdf", "cancel", "reschedule", "set_due", "respond"), or on the
    domain when obj is None or a programme ("create_programme", "plan", "edit_programme",
    "programmes", "questions", "grades")."""
    if isinstance(obj, Audit):
        if not may_read(user, obj):
            return frozenset()
        return frozenset({"read"} | {action for action, rule in _AUDIT_RULES.items()
                                     if obj.status in STATES_FOR[action] and rule(user, obj)})
    found = set()
    if may_plan(user, obj):
        found |= {"plan"} if obj is not None else {"create_programme", "plan"}
    if obj is not None and may_edit_programme(user, obj):
        found.add("edit_programme")
    if obj is None and may_read_programmes(user):
        found.add("programmes")
    if obj is None and may_manage_questions(user):
        found.add("questions")
    if obj is None and may_manage_grades(user):
        found.add("grades")
    return frozenset(found)
