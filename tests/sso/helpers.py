"""Rows the single sign-on pages name, for the permission and security walks."""

from __future__ import annotations

from types import SimpleNamespace

from compliance.auth.sso.models import MappingRule
from compliance.core.db import write_intent
from compliance.core.extensions import db


def sso_target(app, endpoint: str) -> SimpleNamespace:
    """A mapping rule (with its version) for the routes that name one."""
    if not endpoint.startswith("auth.sso_admin.mapping_"):
        return SimpleNamespace()
    with app.app_context(), write_intent():
        # The organisation the walk acts for (tenancy), as every target of the walks.
        rule = MappingRule(group="cn=walk,dc=example,dc=vn", role="auditor")
        db.session.add(rule)
        db.session.commit()
        return SimpleNamespace(rule_id=rule.id, rule_version=rule.version)


def with_second_factor(app, user_id: int) -> None:
    """The account as if its owner had set up a second factor."""
    from compliance.auth import totp
    from compliance.auth.models import User
    from compliance.core.db import utcnow

    with app.app_context(), write_intent():
        user = db.session.get(User, user_id)
        user.totp_box, user.totp_enabled_at = totp.seal(totp.new_secret()), utcnow()
        db.session.commit()
