"""Service accounts (issue 15): a user an integration acts as through the API tokens an
administrator makes for it. It has no usable password, so it never signs in to the pages;
its roles and memberships say what its tokens may do, as for anyone.
"""

from __future__ import annotations

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.auth import rules, services
from compliance.auth.labels import GLOBAL_ROLES
from compliance.auth.models import User, UserRole
from compliance.core import signals
from compliance.core.errors import DomainError
from compliance.core.extensions import db

# Not a hash any password matches (argon2 refuses it): nobody signs in with a password.
UNUSABLE_HASH = "!service-account"  # noqa: S105 - not a secret: matches no password


def create(actor, name: str, email: str, roles: tuple[str, ...] = ()) -> User:
    """Create a service account with its organisation-wide roles."""
    rules.ensure(rules.may_manage_tokens(actor))
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the service account a name."), field="name")
    email = services.normalise_email(email)
    if services.find_by_email(email):
        raise services.AddressTaken()
    unknown = set(roles) - set(GLOBAL_ROLES)
    if unknown:
        raise DomainError(_("Unknown role."), field="roles")
    # In-app notifications only: nobody reads the integration's mailbox for them.
    account = User(email=email, name=name[:200], locale="vi", password_hash=UNUSABLE_HASH,
                   is_service=True, email_mode="none")
    account.roles = [UserRole(role=r) for r in sorted(set(roles))]
    db.session.add(account)
    db.session.flush()
    record(actor, "user.create_service", "user", account.id, after=account.snapshot())
    signals.user_created.send(account, actor=actor)
    return account
