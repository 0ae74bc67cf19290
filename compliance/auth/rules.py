"""The rule book of accounts: who may see and change users, and what they may do to one.

The coarse role table stays in `auth.permissions`; this module says it once per verb, so views,
templates (`actions`) and services ask the same question.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, false

from compliance.auth.models import ApiToken, User
from compliance.auth.permissions import can
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied

# What `allowed_actions(user, target)` may contain.
USER_ACTIONS = frozenset({"edit", "deactivate", "reactivate", "add_membership",
                          "remove_membership", "reset_password", "tokens",
                          "reset_second_factor"})


def may_read_users(user) -> bool:
    """Whether the user may see the list of accounts and each account's page."""
    return can(user, "users.read")


def visible_users(user, stmt: Select) -> Select:
    """Accounts the user may see: those of their organisation, for readers of the users' list
    only (nobody else finds people by searching)."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, User)
    return stmt if may_read_users(user) else stmt.where(false())


def may_manage_users(user) -> bool:
    """Whether the user may create and change accounts, roles and memberships."""
    return can(user, "users.manage")


def is_self(user, target) -> bool:
    """Whether the target account is the user's own."""
    return target is not None and getattr(user, "id", None) == target.id


def may_deactivate(user, target) -> bool:
    """A manager may deactivate an active account, never their own."""
    return may_manage_users(user) and bool(target.active) and not is_self(user, target)


def may_reactivate(user, target) -> bool:
    """A manager may let a deactivated account sign in again."""
    return may_manage_users(user) and not target.active


def may_drop_own_admin(user, target, roles) -> bool:
    """Nobody takes their own administrator role away (the last admin would lock us out)."""
    return not is_self(user, target) or "admin" in roles


def may_manage_tokens(user) -> bool:
    """Whether the user may see and revoke every API token of the organisation, and create
    service accounts and their tokens (issue 15)."""
    return may_manage_users(user)


def visible_tokens(user, stmt: Select) -> Select:
    """API tokens the user may see on the organisation's list: all of their organisation's,
    for a manager of tokens only (a person's own are on their account page)."""
    stmt = tenancy.in_organisation(user, stmt, ApiToken)
    return stmt if may_manage_tokens(user) else stmt.where(false())


def may_create_token_for(user, owner) -> bool:
    """A person makes tokens of their own; a manager of tokens also makes them for a
    service account of the organisation (never for another person)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_self(user, owner):
        return bool(owner.active)
    return (may_manage_tokens(user) and owner.is_service and bool(owner.active)
            and owner.organisation_id == tenancy.organisation_of(user))


def may_revoke_token(user, token) -> bool:
    """A person revokes their own tokens; a manager of tokens any of the organisation's."""
    if not getattr(user, "is_authenticated", False):
        return False
    if token.user_id == user.id:
        return True
    return may_manage_tokens(user) and token.organisation_id == tenancy.organisation_of(user)


def may_change_own_password(user) -> bool:
    """Every signed-in, active person may change their own password."""
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def allowed_actions(user, target) -> frozenset[str]:
    """What the user may do on the target account's page."""
    if not may_manage_users(user):
        return frozenset()
    actions = {"edit", "add_membership", "remove_membership"}
    # A service account has no password to reset: it acts through its tokens.
    actions.add("tokens" if target.is_service else "reset_password")
    if may_deactivate(user, target):
        actions.add("deactivate")
    if may_reactivate(user, target):
        actions.add("reactivate")
    if getattr(target, "totp_enabled_at", None) and not is_self(user, target):
        actions.add("reset_second_factor")  # a lost phone and lost recovery codes
    return frozenset(actions)


def ensure(allowed: bool) -> None:
    """Raise PermissionDenied unless allowed."""
    if not allowed:
        raise PermissionDenied(_("You do not have permission to do this."))
