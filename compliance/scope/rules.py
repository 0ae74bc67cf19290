"""Who may read and keep the scope register: coordinators (and admins) keep it; every
reader of the quality system reads it; staff, and people of other organisations, do not."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select

from compliance.auth.permissions import can
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied
from compliance.scope.models import Announcement, ScopeEntry


def may_read_scope(user) -> bool:
    """Whether the user may open the scope register."""
    return can(user, "scope.read")


def may_manage_scope(user) -> bool:
    """Whether the user may add, change and take out entries of the scope."""
    return can(user, "scope.manage")


def ensure_read(user) -> None:
    """Refuse unless the user reads the scope."""
    if not may_read_scope(user):
        raise PermissionDenied(_("The scope of the quality system is read by coordinators, "
                                 "auditors and department heads."))


def ensure_manage(user) -> None:
    """Refuse unless the user keeps the scope."""
    if not may_manage_scope(user):
        raise PermissionDenied(_("Only a coordinator keeps the scope of the quality system."))


def visible_entries(user, stmt: Select) -> Select:
    """The entries of the user's own organisation."""
    return tenancy.in_organisation(user, stmt, ScopeEntry)


def visible_announcements(user, stmt: Select) -> Select:
    """The announcements of the user's own organisation."""
    return tenancy.in_organisation(user, stmt, Announcement)


def ensure_open_announcement(user, row: Announcement) -> None:
    """Readers of the scope open announcements; so does the person named to sign one."""
    if not (may_read_scope(user) or row.signer_id == getattr(user, "id", None)):
        ensure_read(user)
