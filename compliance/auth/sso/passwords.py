"""Sign-in with an e-mail address and password: checked by the directory (LDAP / Active
Directory) when one is configured, else against the local account. Local passwords stay for
accounts that have one and no directory link (the break-glass administrators), and can be
switched off for everyone else (LOCAL_SIGN_IN, BREAK_GLASS_ADMINS)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth import reauth, services
from compliance.auth.service_accounts import UNUSABLE_HASH
from compliance.auth.sso import accounts, directory, settings
from compliance.auth.sso.models import LDAP, IdentityLink
from compliance.core.errors import DomainError
from compliance.core.extensions import db


class Refused(DomainError):
    """The sign-in is refused; the message says why as far as it is safe to say."""


def _wrong() -> Refused:
    return Refused(_("The e-mail address or password is not correct."), status=401)


def _failed(email: str, ip: str | None, reason: str, user=None) -> None:
    record(user, "auth.login_failed", "user", user.id if user else "-",
           after={"email": services.normalise_email(email)[:255], "ip": ip, "reason": reason,
                  "method": LDAP if reason != "local_off" else reauth.BY_PASSWORD},
           actor_label="anonymous")


def _has_link(user, provider: str) -> bool:
    return db.session.scalar(select(IdentityLink.id).where(
        IdentityLink.user_id == user.id, IdentityLink.provider == provider)) is not None


def uses_local_password(user, email: str) -> bool:
    """Whether this account signs in with the password kept here."""
    if user is None:
        return False
    if user.is_service:
        return True  # refused as a service account, whatever the directory says
    return (user.password_hash != UNUSABLE_HASH and settings.may_use_password(email)
            and not _has_link(user, LDAP))


def sign_in(email: str, password: str, ip: str | None):
    """The account and how it was proved (`password` or `ldap`); Refused otherwise."""
    user = services.find_by_email(email)
    if settings.ldap_enabled() and not uses_local_password(user, email):
        return through_directory(email, password, ip), LDAP
    if not settings.may_use_password(email) and not (user and user.is_service):
        _failed(email, ip, "local_off", user)
        raise Refused(_("Signing in with a password kept by this application is switched "
                        "off: use your organisation's sign-in."), status=401)
    user = services.authenticate(email, password, ip)  # ServiceAccountRefused for a service
    if user is None:
        raise _wrong()
    return user, reauth.BY_PASSWORD


def check_with_directory(email: str, password: str, ip: str | None, user=None) -> dict:
    """The directory's identity for this address and password; Refused (recorded)."""
    try:
        identity = directory.authenticate(email, password)
    except directory.DirectoryDown:
        _failed(email, ip, "directory_down", user)
        raise Refused(_("The directory (LDAP / Active Directory) cannot be reached right now, "
                        "so your password cannot be checked. Try again later; an "
                        "administrator with a local account can still sign in."),
                      status=503) from None
    except directory.Disabled:
        _failed(email, ip, "disabled", user)
        raise Refused(_("Your account in the directory is disabled or locked. Ask your "
                        "administrator."), status=403) from None
    if identity is None:
        _failed(email, ip, "bad_credentials", user)
        raise _wrong()
    return identity


def through_directory(email: str, password: str, ip: str | None):
    """Sign in with the directory's password: the account found or made for the person."""
    return accounts.sign_in(check_with_directory(email, password, ip), ip)
