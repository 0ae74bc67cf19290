"""User accounts: creation, changes, deactivation, passwords and sign-in.

Signals sent (compliance.core.signals):
- user_created: sender the new User; actor= the User who created it (None from the CLI/demo).
- user_deactivated: sender the User deactivated; actor= the administrator.
- membership_changed: sender the User whose memberships changed; actor= who changed them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from compliance.audit_trail.services import record
from compliance.auth import passwords, reauth, rules, sessions, tokens, totp
from compliance.auth.labels import GLOBAL_ROLES, LOCALES, MEMBERSHIP_ROLES
from compliance.auth.models import Membership, User, UserRole
from compliance.core import signals
from compliance.core.db import check_version, utcnow
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.org.services import get_department


class AddressTaken(DomainError):
    """Another account already has this e-mail address."""

    status = 409

    def __init__(self):
        super().__init__(_("A user with this e-mail address already exists."), field="email")


class ServiceAccountRefused(DomainError):
    """A service account tried the sign-in page (auth.service_accounts)."""

    status = 401

    def __init__(self):
        super().__init__(_("This is a service account for an integration: it uses API tokens "
                           "and cannot sign in to the pages."))


def normalise_email(email: str) -> str:
    """E-mail addresses are compared without case or surrounding spaces."""
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    """The user with this address, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def get_user(user_id: int, for_update: bool = False) -> User:
    """Load a user or raise NotFound."""
    user = db.session.get(User, user_id, with_for_update=for_update)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def check_password_policy(password: str, min_length: int) -> None:
    """Refuse passwords that are too short or trivially weak."""
    if len(password or "") < min_length:
        raise DomainError(_("The password must have at least %(n)d characters.", n=min_length),
                          field="password")
    if len(set(password)) < 4:
        raise DomainError(_("The password is too simple."), field="password")


def create_user(actor, email: str, name: str, password: str, locale: str = "vi",
                roles: tuple[str, ...] = (), min_length: int = 10, check: bool = True) -> User:
    """Create an account with its global roles."""
    if check:
        rules.ensure(rules.may_manage_users(actor))
    email = normalise_email(email)
    if find_by_email(email):
        raise AddressTaken()
    check_password_policy(password, min_length)
    user = User(email=email, name=name.strip(), locale=_locale(locale),
                password_hash=passwords.hash_password(password), password_changed_at=utcnow())
    user.roles = [UserRole(role=r) for r in _valid_roles(roles)]
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", "user", user.id, after=user.snapshot())
    signals.user_created.send(user, actor=actor)
    return user


def update_user(actor, user: User, expected_version: int | None, *, email: str, name: str,
                locale: str, roles: tuple[str, ...]) -> User:
    """Change a user's details and global roles."""
    rules.ensure(rules.may_manage_users(actor))
    _check_version(user, expected_version)
    email = normalise_email(email)
    other = find_by_email(email)
    if other is not None and other.id != user.id:
        raise AddressTaken()
    if not rules.may_drop_own_admin(actor, user, roles):
        raise DomainError(_("You cannot remove your own administrator role."), field="roles")
    before = user.snapshot()
    user.email, user.name, user.locale = email, name.strip(), _locale(locale)
    keep = set(_valid_roles(roles))
    user.roles = [r for r in user.roles if r.role in keep] + [
        UserRole(role=r) for r in sorted(keep - user.global_roles)]
    db.session.flush()
    record(actor, "user.update", "user", user.id, before=before, after=user.snapshot())
    return user


def set_active(actor, user: User, active: bool) -> User:
    """Deactivate (ending every session and API token for good) or reactivate an account."""
    rules.ensure(rules.may_manage_users(actor))
    if rules.is_self(actor, user) and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    if user.active == active:
        return user
    before = user.snapshot()
    user.active = active
    ended = 0 if active else sessions.revoke_all(user)
    # Revoked, not only refused while inactive: reactivating the account revives no token.
    revoked = 0 if active else tokens.revoke_all(user)
    db.session.flush()
    action = "user.reactivate" if active else "user.deactivate"
    after = {**user.snapshot(), "sessions_ended": ended}
    if revoked:
        after["tokens_revoked"] = revoked
    record(actor, action, "user", user.id, before=before, after=after)
    if not active:
        signals.user_deactivated.send(user, actor=actor)
    return user


def reset_password(actor, user: User, new_password: str, min_length: int) -> None:
    """An administrator sets a new password; the user's sessions end."""
    rules.ensure(rules.may_manage_users(actor))
    if user.is_service:
        raise DomainError(_("A service account has no password: it acts through its API "
                            "tokens."), status=409)
    _set_password(user, new_password, min_length)
    ended = sessions.revoke_all(user)
    record(actor, "user.password_reset", "user", user.id, after={"sessions_ended": ended})


def change_own_password(user: User, current: str, new_password: str, min_length: int,
                        keep_token: str | None = None) -> None:
    """A user changes their own password; every other session of theirs ends. A wrong current
    password is refused like a wrong signature (recorded, counted against the allowance)."""
    reauth.verify(user, current, field="current",
                  attempt=reauth.Attempt("user.password_change", "user", user.id),
                  message=_("The current password is not correct."))
    _set_password(user, new_password, min_length)
    ended = sessions.revoke_all(user, except_token=keep_token)
    record(user, "user.password_change", "user", user.id, after={"sessions_ended": ended})


def set_locale(actor, user: User, locale: str) -> None:
    """Remember the interface language a user chose."""
    if locale not in LOCALES:
        raise DomainError(_("Unknown language."), field="locale")
    if user.locale != locale:
        before = {"locale": user.locale}
        user.locale = locale
        db.session.flush()
        record(actor, "user.locale", "user", user.id, before=before, after={"locale": locale})


def add_membership(actor, user: User, department_id: int, role: str,
                   check: bool = True) -> Membership:
    """Make a user head or staff of a department."""
    if check:
        rules.ensure(rules.may_manage_users(actor))
    if role not in MEMBERSHIP_ROLES:
        raise DomainError(_("Unknown role."), field="role")
    department = get_department(department_id)
    if any(m.department_id == department.id and m.role == role for m in user.memberships):
        raise DomainError(_("This membership already exists."), status=409)
    membership = Membership(department_id=department.id, role=role)
    user.memberships.append(membership)
    db.session.flush()
    record(actor, "membership.add", "user", user.id,
           after={"department": department.code, "role": role})
    signals.membership_changed.send(user, actor=actor)
    return membership


def remove_membership(actor, user: User, membership_id: int) -> None:
    """Take a user out of a department role."""
    rules.ensure(rules.may_manage_users(actor))
    membership = next((m for m in user.memberships if m.id == membership_id), None)
    if membership is None:
        raise NotFound(_("No such membership."))
    before = {"department": membership.department.code, "role": membership.role}
    user.memberships.remove(membership)
    db.session.flush()
    record(actor, "membership.remove", "user", user.id, before=before)
    signals.membership_changed.send(user, actor=actor)


def authenticate(email: str, password: str, ip_address: str | None) -> User | None:
    """The user if the credentials are right and the account active; every try is recorded.
    A service account is refused whatever the password (ServiceAccountRefused)."""
    user = find_by_email(email)
    if user is not None and user.is_service:
        record(user, "auth.login_failed", "user", user.id,
               after={"email": user.email, "ip": ip_address, "reason": "service_account"},
               actor_label="anonymous")
        raise ServiceAccountRefused()
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        reason = "inactive" if ok and user is not None else "bad_credentials"
        # An unknown address is not "system": say it was someone who is not signed in.
        record(user, "auth.login_failed", "user", user.id if user else "-",
               after={"email": normalise_email(email)[:255], "ip": ip_address, "reason": reason},
               actor_label="anonymous")
        return None
    if passwords.needs_rehash(user.password_hash):
        _rehash(user, password)
    # The way in, as single sign-on records its own (issue 19). With a second factor the
    # sign-in is not done yet: second_factor.second_step records it once the code is given.
    if not totp.enrolled(user):
        record(user, "auth.login", "user", user.id,
               after={"ip": ip_address, "method": reauth.BY_PASSWORD})
    return user


def record_logout(user: User) -> None:
    """Note a sign-out in the trail."""
    record(user, "auth.logout", "user", user.id)


def count_users() -> int:
    """How many accounts exist."""
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def _rehash(user: User, password: str) -> None:
    """Store the same password at today's cost. Not an edit of the account: it leaves the
    version alone, so an administrator's open form on this user is not made stale by it."""
    new_hash = passwords.hash_password(password)
    db.session.execute(update(User).where(User.id == user.id).values(password_hash=new_hash))
    set_committed_value(user, "password_hash", new_hash)


def _set_password(user: User, new_password: str, min_length: int) -> None:
    check_password_policy(new_password, min_length)
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    db.session.flush()


def _check_version(user: User, expected_version: int | None) -> None:
    check_version(user, expected_version, _("Someone else changed this user while you were "
                                            "editing. Reload the page and apply your change "
                                            "again."))


def _valid_roles(roles) -> list[str]:
    unknown = set(roles) - set(GLOBAL_ROLES)
    if unknown:
        raise DomainError(_("Unknown role."), field="roles")
    return sorted(set(roles))


def _locale(locale: str) -> str:
    return locale if locale in LOCALES else "vi"
