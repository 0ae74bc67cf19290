"""Who may do what (DESIGN §6). Checked in views and again in services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask_babel import gettext as _
from flask_login import current_user

from compliance.core.errors import PermissionDenied
from compliance.core.extensions import login_manager

EVERYONE = frozenset({"admin", "coordinator", "department_head", "auditor", "staff"})
READERS = frozenset({"admin", "coordinator", "department_head", "auditor"})
# Named role sets for other domains' rule books, so no domain spells role names itself:
# who may sit on an audit team (audits), who may verify a corrective action's effectiveness
# (capa), and who runs the quality system organisation-wide.
AUDIT_TEAM_ROLES = frozenset({"admin", "coordinator", "auditor"})
VERIFIER_ROLES = frozenset({"admin", "coordinator", "auditor"})
QUALITY_MANAGERS = frozenset({"admin", "coordinator"})

# Permission -> roles that hold it organisation-wide.
PERMISSIONS: dict[str, frozenset[str]] = {
    "users.manage": frozenset({"admin"}),
    "users.read": READERS,
    "departments.manage": frozenset({"admin"}),
    "departments.read": READERS,
    "processes.manage": frozenset({"admin", "coordinator"}),
    "processes.read": READERS,
    "clauses.read": EVERYONE,
    "audit_trail.read": frozenset({"admin", "coordinator", "auditor"}),
    "documents.read": READERS,
    "documents.draft": frozenset({"admin", "coordinator"}),
    "documents.approve": frozenset({"admin", "coordinator"}),
    "documents.review": frozenset({"admin", "coordinator"}),
    "documents.manage": frozenset({"admin", "coordinator"}),
    "documents.read_history": frozenset({"admin", "coordinator", "auditor"}),
    "documents.original": frozenset({"admin", "coordinator"}),
    "documents.coverage": frozenset({"admin", "coordinator"}),
    "audits.read": frozenset({"admin", "coordinator", "auditor"}),
    "audits.plan": frozenset({"admin", "coordinator"}),
    "audits.questions": frozenset({"admin", "coordinator"}),
    "audits.grades": frozenset({"admin", "coordinator"}),
    # Answering an audit's findings: the audited department's head; coordinators may record
    # an answer given on paper.
    "audits.respond": frozenset({"admin", "coordinator"}),
    "corrective.read": frozenset({"admin", "coordinator", "auditor"}),
    "corrective.manage": frozenset({"admin", "coordinator"}),
    "corrective.verify": frozenset({"admin", "coordinator"}),
    "scheduler.read": frozenset({"admin", "coordinator"}),
    "dashboard.departments": frozenset({"admin", "coordinator"}),
    "scheduler.manage": frozenset({"admin", "coordinator"}),
    "reports.read": frozenset({"admin", "coordinator", "auditor"}),
    "reports.notes": frozenset({"admin", "coordinator"}),
    "reviews.read": frozenset({"admin", "coordinator", "auditor"}),
    "reviews.manage": frozenset({"admin", "coordinator"}),
    "evidence.packs": frozenset({"admin", "coordinator", "auditor"}),
    # Quality objectives (6.2) and the context of the organisation (4.1, 4.2): see
    # compliance/quality/objectives/rules.py for the relationships built on these.
    "objectives.read": frozenset({"admin", "coordinator", "auditor"}),
    "objectives.manage": frozenset({"admin", "coordinator"}),
    "context.read": READERS,
    "context.manage": frozenset({"admin", "coordinator"}),
    # Risks and opportunities (quality/risks): read everywhere, manage everywhere, set the
    # organisation's scale; heads manage and staff read their own departments' below.
    "risks.read": frozenset({"admin", "coordinator", "auditor"}),
    "risks.manage": frozenset({"admin", "coordinator"}),
    "risks.scale": frozenset({"admin", "coordinator"}),
    "measures.read": frozenset({"admin", "coordinator", "auditor"}),
    "measures.manage": frozenset({"admin", "coordinator"}),
    "scope.read": READERS,
    "scope.manage": QUALITY_MANAGERS,
    # Webhooks (compliance/webhooks): where the organisation's events are posted.
    "webhooks.manage": frozenset({"admin"}),
}

# Permission -> membership roles that hold it only inside their own departments.
DEPARTMENT_PERMISSIONS: dict[str, frozenset[str]] = {
    "documents.read": frozenset({"staff", "department_head"}),
    "documents.draft": frozenset({"department_head"}),
    "documents.approve": frozenset({"department_head"}),
    "documents.review": frozenset({"department_head"}),
    "audits.read": frozenset({"department_head"}),
    "audits.respond": frozenset({"department_head"}),
    "corrective.read": frozenset({"department_head"}),
    "corrective.manage": frozenset({"department_head"}),
    "reports.read": frozenset({"department_head"}),
    "evidence.packs": frozenset({"department_head"}),
    "objectives.read": frozenset({"staff", "department_head"}),
    "objectives.manage": frozenset({"department_head"}),
    "risks.read": frozenset({"staff", "department_head"}),
    "risks.manage": frozenset({"department_head"}),
    "measures.read": frozenset({"staff", "department_head"}),
    "measures.manage": frozenset({"department_head"}),
}


def roles_of(user) -> set[str]:
    """Every role a user holds, global or through memberships."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(user.global_roles) | {m.role for m in user.memberships}


def can(user, permission: str, department_id: int | None = None) -> bool:
    """Whether the user holds the permission (in the department, when one is named)."""
    if permission not in PERMISSIONS and permission not in DEPARTMENT_PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if roles_of(user) & PERMISSIONS.get(permission, frozenset()):
        return True
    scoped = DEPARTMENT_PERMISSIONS.get(permission, frozenset())
    if department_id is None or not scoped:
        return False
    return any(m.department_id == department_id and m.role in scoped for m in user.memberships)


def can_everywhere(user, permission: str) -> bool:
    """Whether the user holds the permission organisation-wide (not only in departments);
    for `visible_*` rules that otherwise limit rows to the user's departments."""
    if permission not in PERMISSIONS and permission not in DEPARTMENT_PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return bool(roles_of(user) & PERMISSIONS.get(permission, frozenset()))


def ensure(user, permission: str, department_id: int | None = None) -> None:
    """Raise PermissionDenied unless the user holds the permission."""
    if not can(user, permission, department_id):
        raise PermissionDenied(_denied_message())


def _denied_message() -> str:
    return _("You do not have permission to do this.")


def require(permission: str) -> Callable:
    """View decorator: sign-in required, then the permission."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            ensure(current_user, permission)
            return view(*args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorator
