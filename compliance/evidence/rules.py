"""The evidence rule book: who may build packs for which scope, see them, share them, verify.

Admins, coordinators and auditors (the `evidence.packs` permission) reach every scope. A
department head reaches the packs of the departments they head: a department scope or an audit
of that department; never a clause or the whole organisation. Everyone else uses no pack.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, and_, or_

from compliance.auth.permissions import can, roles_of
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied
from compliance.evidence.models import EvidencePack, Verification
from compliance.installation import oversight

# The scope of a pack across an organisation and those below it.
SUBTREE = "subtree"

# The membership role that owns a department's packs.
OWNER_ROLE = "department_head"


def pack_departments(user) -> set[int] | None:
    """Departments whose packs the user may build and see (None: every scope)."""
    if can(user, "evidence.packs"):
        return None
    return user.department_ids(OWNER_ROLE) if roles_of(user) else set()


def may_use(user) -> bool:
    """Whether the user may see evidence packs at all."""
    allowed = pack_departments(user)
    return allowed is None or bool(allowed)


def may_build(user, department_id: int | None) -> bool:
    """Whether the user may build a pack whose scope belongs to this department (None: a
    clause or the whole organisation, which belong to no one department)."""
    allowed = pack_departments(user)
    return allowed is None or (department_id is not None and department_id in allowed)


def may_build_subtree(user, organisation_id: int) -> bool:
    """A pack across an organisation and those below it: whoever oversees it."""
    return organisation_id in oversight.overseen_ids(user)


def may_open(user) -> bool:
    """Whether the user reaches any pack page: a pack user, or an overseer (their own
    packs across organisations)."""
    return may_use(user) or bool(oversight.overseen_ids(user))


def may_see(user, pack: EvidencePack) -> bool:
    """Globally allowed roles see every pack; department heads those of their departments;
    a pack across organisations only those who oversee its top organisation."""
    if pack.scope_kind == SUBTREE:
        return tenancy.same_organisation(user, pack) and \
            may_build_subtree(user, pack.scope_id or 0)
    allowed = pack_departments(user)
    return allowed is None or (pack.department_id is not None and pack.department_id in allowed)


def may_share(user, pack: EvidencePack) -> bool:
    """Who sees a pack may hand it to an external auditor (once it is ready: a state, not a
    permission, so the service answers 409 for a pack still building); never a pack across
    organisations."""
    return pack.scope_kind != SUBTREE and may_see(user, pack)


def may_revoke(user, pack: EvidencePack) -> bool:
    """Who sees a pack may stop its share links (a pack across organisations has none)."""
    return pack.scope_kind != SUBTREE and may_see(user, pack)


def may_verify(user) -> bool:
    """Whoever uses packs may check one."""
    return may_use(user)


def may_read_verification(user, check: Verification) -> bool:
    """Global roles read every verification; other pack users only their own."""
    allowed = pack_departments(user)
    return allowed is None or (bool(allowed) and check.checked_by_id == user.id)


def sees_every_scope(user) -> bool:
    """Whether nothing is hidden from the user (a missing record may then be named 404)."""
    return pack_departments(user) is None


def allowed_actions(user, pack: EvidencePack) -> frozenset[str]:
    """What the pack page offers this user: "view", "download", "share", "revoke"."""
    if not may_see(user, pack):
        return frozenset()
    actions = {"view"}
    if pack.status == "ready":
        actions.add("download")
        if may_share(user, pack):
            actions.add("share")
    if may_revoke(user, pack):
        actions.add("revoke")
    return frozenset(actions)


def visible_packs(user, stmt: Select) -> Select:
    """Limit a query of packs to those the user may see."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, EvidencePack)
    across = and_(EvidencePack.scope_kind == SUBTREE,
                  EvidencePack.scope_id.in_(sorted(oversight.overseen_ids(user)) or [-1]))
    allowed = pack_departments(user)
    if allowed is None:
        return stmt.where(or_(EvidencePack.scope_kind != SUBTREE, across))
    return stmt.where(or_(EvidencePack.department_id.in_(sorted(allowed) or [-1]), across))


def visible_verifications(user, stmt: Select) -> Select:
    """Limit a query of verifications to those the user may read."""
    stmt = tenancy.in_organisation(user, stmt, Verification)
    if pack_departments(user) is None:
        return stmt
    return stmt.where(Verification.checked_by_id == user.id)


def ensure(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied unless allowed."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


def ensure_use(user) -> None:
    """Refuse those who may not see any evidence pack."""
    ensure(may_use(user), _("You may not use evidence packs."))


def ensure_open(user) -> None:
    """Refuse those who reach no pack page at all (neither pack users nor overseers)."""
    ensure(may_open(user), _("You may not use evidence packs."))
