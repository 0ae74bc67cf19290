"""Who may do what above the organisations: the installation administrator manages them; an
overseer reads (never writes) the organisations below a grant."""

from __future__ import annotations

from flask_babel import gettext as _

from compliance.auth.permissions import roles_of
from compliance.core.errors import NotFound, PermissionDenied


def is_installation_admin(user) -> bool:
    """Whether the person administers the installation (active, signed in, flagged)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and getattr(user, "is_installation_admin", False))


def may_manage_organisations(user) -> bool:
    """Creating and changing organisations and their first administrators."""
    return is_installation_admin(user)


def may_grant_oversight(user, organisation) -> bool:
    """The installation administrator, or the organisation's own administrator (over its own
    subtree only)."""
    if is_installation_admin(user):
        return True
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and "admin" in roles_of(user)
                and user.organisation_id == organisation.id)


def may_oversee(user, organisation_id: int, overseen: set[int]) -> bool:
    """Whether the organisation is among those the person oversees (`overseen`, from
    `oversight.overseen_ids`)."""
    return bool(getattr(user, "is_authenticated", False)) and organisation_id in overseen


def ensure(allowed: bool, *, hide: bool = False) -> None:
    """Refuse unless allowed: 403, or 404 where saying "forbidden" would confirm a record."""
    if not allowed:
        if hide:
            raise NotFound(_("No such organisation."))
        raise PermissionDenied(_("You do not have permission to do this."))
