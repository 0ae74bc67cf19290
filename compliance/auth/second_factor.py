"""Enrolling and using the TOTP second factor of a local account (auth.totp): enrolment
confirmed by a first code, recovery codes shown once, switching it off with the password,
and the second step of signing in."""

from __future__ import annotations

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.auth import reauth, rules, totp
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db


def enrol(user, secret: str | None, code: str | None) -> list[str]:
    """Finish enrolling with the secret the person scanned and a code from their app; the
    recovery codes, to show this once."""
    if totp.enrolled(user):
        raise DomainError(_("A second factor is already set up."), status=409)
    step = totp.matching_step(secret, code) if secret else None
    if step is None:
        raise DomainError(_("The code is not correct. Check the time on your phone and try "
                            "the code shown now."), field="code")
    user.totp_box, user.totp_enabled_at = totp.seal(secret), utcnow()
    user.totp_last_step = step
    codes = totp.new_recovery_codes(user)
    db.session.flush()
    record(user, "user.totp_enrol", "user", user.id, after={"recovery_codes": len(codes)})
    return codes


def switch_off(user, password: str | None) -> None:
    """Remove the second factor, the password (and a code) typed again."""
    if totp.required_for(user):
        raise DomainError(_("Your role requires a second factor: it cannot be switched off."),
                          status=409)
    reauth.verify(user, password, field="password",
                  attempt=reauth.Attempt("user.totp_disable", "user", user.id),
                  message=_("The password is not correct."))
    user.totp_box, user.totp_enabled_at = None, None
    totp.new_recovery_codes(user)  # the old ones go; the new are never shown
    db.session.flush()
    record(user, "user.totp_disable", "user", user.id)


def second_step(user, code: str | None, ip: str | None) -> bool:
    """The code asked after the password at sign-in: right, the sign-in is done and recorded
    (`password+totp`); wrong, it is recorded as a failed sign-in."""
    if totp.check(user, code):
        record(user, "auth.login", "user", user.id,
               after={"ip": ip, "method": reauth.BY_PASSWORD_TOTP})
        return True
    record(user, "auth.login_failed", "user", user.id,
           after={"email": user.email, "ip": ip, "reason": "wrong_code",
                  "method": reauth.BY_PASSWORD_TOTP},
           actor_label="anonymous")
    return False


def reset_for(actor, user) -> None:
    """An administrator removes someone's second factor (a lost phone, lost recovery
    codes); they set it up again at their next sign-in when their role requires one."""
    rules.ensure(rules.may_manage_users(actor) and not rules.is_self(actor, user))
    if not totp.enrolled(user):
        raise DomainError(_("This account has no second factor."), status=409)
    user.totp_box, user.totp_enabled_at = None, None
    totp.new_recovery_codes(user)
    db.session.flush()
    record(actor, "user.totp_reset", "user", user.id)
