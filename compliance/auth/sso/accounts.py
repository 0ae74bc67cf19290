"""Who a provider's person is here: the account linked to their subject id, else the account
with their e-mail address (linked from then on), else a new account when the setting allows;
each sign-in recorded with its method, and the mapping rules applied."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth import services
from compliance.auth.models import User, UserRole
from compliance.auth.service_accounts import UNUSABLE_HASH
from compliance.auth.sso import mapping
from compliance.auth.sso.models import IdentityLink
from compliance.core import signals, tenancy
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db


class SignInRefused(DomainError):
    """The provider vouched for the person, but this application does not let them in."""

    status = 403


def administrator(organisation_id: int | None) -> str:
    """Whom to ask for an account: the setting, else the organisation's first administrator."""
    contact = current_app.config.get("SSO_ADMIN_CONTACT")
    if contact:
        return contact
    stmt = (select(User).join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == "admin", User.is_person()).order_by(User.id).limit(1))
    if organisation_id is not None:
        stmt = stmt.where(User.organisation_id == organisation_id)
    admin = db.session.scalar(stmt)
    return f"{admin.name} <{admin.email}>" if admin else _("your administrator")


def _refuse(user: User | None, identity: dict, provider: str, ip: str | None, reason: str,
            message: str):
    record(user, "auth.login_failed", "user", user.id if user else "-",
           after={"email": services.normalise_email(identity["email"])[:255], "ip": ip,
                  "reason": reason, "method": provider}, actor_label="anonymous")
    raise SignInRefused(message)


def _new_account(identity: dict, organisation_id: int | None) -> User:
    user = User(email=services.normalise_email(identity["email"]),
                name=(identity["name"] or identity["email"]).strip()[:200],
                password_hash=UNUSABLE_HASH, organisation_id=organisation_id,
                locale=current_app.config["DEFAULT_LOCALE"])
    db.session.add(user)
    db.session.flush()
    record(user, "user.create", "user", user.id,
           after={**user.snapshot(), "provider": identity["provider"]})
    signals.user_created.send(user, actor=None)
    return user


def _account(identity: dict, ip: str | None) -> tuple[User, IdentityLink]:
    provider, subject = identity["provider"], identity["subject"]
    link = db.session.scalar(select(IdentityLink).where(
        IdentityLink.provider == provider, IdentityLink.subject == subject))
    if link is not None:
        return link.user, link
    if not identity["email"] or not identity.get("email_verified"):
        _refuse(None, identity, provider, ip, "email_unverified", _(
            "Your organisation's sign-in did not confirm your e-mail address, so no account "
            "here can be matched to you. Ask %(admin)s.",
            admin=administrator(tenancy.default_organisation_id(db.session.connection()))))
    user = services.find_by_email(identity["email"])
    if user is None:
        organisation_id = tenancy.default_organisation_id(db.session.connection())
        if not current_app.config["SSO_CREATE_ACCOUNTS"]:
            _refuse(None, identity, provider, ip, "no_account", _(
                "You signed in with your organisation's account, but there is no account for "
                "you in this application yet. Ask %(admin)s to create it.",
                admin=administrator(organisation_id)))
        user = _new_account(identity, organisation_id)
    link = IdentityLink(user_id=user.id, provider=provider, subject=subject[:255],
                        created_at=utcnow())
    db.session.add(link)
    db.session.flush()
    record(user, "user.identity_link", "user", user.id,
           after={"provider": provider, "subject": subject[:255]})
    return user, link


def sign_in(identity: dict, ip: str | None) -> User:
    """The account for a person a provider vouched for (`identity`: provider, subject, email,
    name, groups); SignInRefused when there is none or it may not sign in."""
    user, link = _account(identity, ip)
    if user.is_service or not user.active:
        _refuse(user, identity, identity["provider"], ip, "inactive",
                _("This account is deactivated. Ask %(admin)s if you need it again.",
                  admin=administrator(user.organisation_id)))
    with tenancy.acting_for(user.organisation_id):
        mapping.apply(user, identity["groups"], identity["provider"])
    link.last_sign_in_at = utcnow()
    record(user, "auth.login", "user", user.id,
           after={"ip": ip, "method": identity["provider"]})
    return user
