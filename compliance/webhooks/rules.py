"""The rule book of webhooks: an organisation's administrators register and manage its
hooks and read their deliveries; nobody else sees them (another organisation's are not
found)."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import Select, false

from compliance.auth.permissions import can
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied
from compliance.webhooks.models import Webhook, WebhookDelivery

ACTIONS = frozenset({"edit", "deactivate", "redeliver"})


def may_manage_webhooks(user) -> bool:
    """Whether the user may list, register, change and deactivate hooks, read their
    deliveries and send one again."""
    return can(user, "webhooks.manage")


def visible_webhooks(user, stmt: Select) -> Select:
    """The hooks of the user's organisation, for those who manage them; none for others."""
    if not may_manage_webhooks(user):
        return stmt.where(false())
    return tenancy.in_organisation(user, stmt, Webhook)


def visible_deliveries(user, stmt: Select) -> Select:
    """The deliveries of the hooks the user may see."""
    if not may_manage_webhooks(user):
        return stmt.where(false())
    return tenancy.in_organisation(user, stmt, WebhookDelivery)


def allowed_actions(user, hook: Webhook) -> frozenset[str]:
    """What the user may do to this hook."""
    if not may_manage_webhooks(user) or hook.organisation_id != tenancy.organisation_of(user):
        return frozenset()
    return ACTIONS if hook.active else ACTIONS - {"deactivate"}


def ensure(allowed: bool) -> None:
    """Raise PermissionDenied unless allowed."""
    if not allowed:
        raise PermissionDenied(gettext("You do not have permission to do this."))
