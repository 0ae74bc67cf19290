"""Who reads and keeps the register of external documents: every reader of documents reads
it (the rows they may see); ISO coordinators (and admins) keep it."""

from __future__ import annotations

from flask_babel import gettext as _

from compliance.auth.permissions import can
from compliance.core.errors import PermissionDenied
from compliance.documents import rules as documents


def may_read(user) -> bool:
    """Whether the user may open the register (they read documents somewhere)."""
    return documents.visible_departments(user) != set()


def may_keep(user) -> bool:
    """Whether the user adds external documents and changes their register entries."""
    return can(user, "documents.manage")


def ensure_read(user) -> None:
    """Refuse unless the user reads documents."""
    if not may_read(user):
        raise PermissionDenied(_("You may not see the register of external documents."))


def ensure_keep(user) -> None:
    """Refuse unless the user keeps the register."""
    if not may_keep(user):
        raise PermissionDenied(_("Only ISO coordinators keep the register of external "
                                 "documents."))
