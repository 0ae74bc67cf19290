"""Re-authentication when a signed-in person types their password again: at the moment of
signing (documents, audit reports, closures) and to change their own password. The one seam
every electronic signature goes through, so that a person who signs in through another
provider later can sign the same way, and the signature says how it was proved.

A refused attempt leaves a trail event (`auth.reauth_failed`: who, on which record, what
they tried, why: `wrong_password`, `wrong_code`, `not_fresh`, `directory_down` or
`locked_out`), kept although the request is refused and rolled back, like a failed sign-in;
and it counts against the person's allowance (`COMPLIANCE_LOGIN_LIMIT_PER_ACCOUNT`), one
allowance for all their signatures and password changes.

How the person proves it again follows how they signed in (issue 19): a local password (and
the TOTP code when they enrolled one, the form's `totp_code`), the directory's password (a
new bind, `sso.directory`), or a fresh sign-in at the OpenID Connect provider made just
before (`sso.fresh`, which checked the token's `auth_time`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from flask import current_app, g, has_request_context, request, session
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse_many

from compliance.audit_trail.services import record
from compliance.auth import passwords, totp
from compliance.auth.labels import SIGNATURE_METHODS
from compliance.auth.sso import directory, fresh
from compliance.core import uow
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import limiter
from compliance.core.locale import format_moment

# The re-authentication method recorded with a signature.
BY_PASSWORD = "password"  # noqa: S105 - a method name, not a secret
BY_PASSWORD_TOTP = "password+totp"  # noqa: S105 - a method name, not a secret
BY_OIDC = "oidc"
BY_LDAP = "ldap"
WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a reason, not a secret
WRONG_CODE = "wrong_code"
LOCKED_OUT = "locked_out"
_REFUSED = "compliance_reauth_refused"


@dataclass(frozen=True)
class Proof:
    """How a signer re-proved who they are, and when."""

    method: str
    at: datetime | None = field(default=None, compare=False)

    @property
    def record(self) -> dict:
        """What a signature's trail event says of it."""
        return {"method": self.method,
                "reauthenticated_at": self.at.isoformat() if self.at else None}


def printed(signature: dict | None) -> str:
    """How a signature's trail event (its `method` and `reauthenticated_at`) or a Proof's
    record says the signer was proved, as the PDFs print it; empty when it does not say."""
    method = (signature or {}).get("method")
    if not method:
        return ""
    how = str(SIGNATURE_METHODS.get(method, method))
    at = signature.get("reauthenticated_at")
    if at:
        return _("Identity proved again by: %(method)s, %(time)s", method=how,
                 time=format_moment(datetime.fromisoformat(at)))
    return _("Identity proved again by: %(method)s", method=how)


@dataclass(frozen=True)
class Attempt:
    """What the person was about to do, for the trail if it is refused: the action it would
    have recorded (e.g. `revision.sign.approved`), the record, and details such as the
    revision."""

    action: str
    entity_type: str
    entity_id: Any
    detail: dict = field(default_factory=dict)


def verify(actor, credential: str | None, *, attempt: Attempt, field: str = "password",
           message: str | None = None) -> Proof:
    """Check the person's identity again, the way they signed in; a failure is refused (403)
    at the field, recorded in the trail and counted against their allowance."""
    method = _signed_in_with(actor)
    if method == BY_OIDC:
        return _by_provider(actor, attempt, field)
    if method == BY_LDAP:
        return _by_directory(actor, credential, attempt, field, message)
    if actor is None or not passwords.verify_password(actor.password_hash, credential or ""):
        refused(actor, attempt, WRONG_PASSWORD)
        raise DomainError(message or _("The password is not correct; the signature was not "
                                       "recorded."), status=403, field=field)
    if not totp.enrolled(actor):
        return Proof(BY_PASSWORD, utcnow())
    if not totp.check(actor, request.form.get("totp_code") if has_request_context() else None):
        refused(actor, attempt, WRONG_CODE)
        raise DomainError(_("The code from your authenticator app is not correct; the "
                            "signature was not recorded."), status=403, field=field)
    return Proof(BY_PASSWORD_TOTP, utcnow())


def _signed_in_with(actor) -> str:
    """How the signed-in person proved who they are this session."""
    if not has_request_context() or str(getattr(actor, "id", None)) != current_user.get_id():
        return BY_PASSWORD
    return session.get("method") or BY_PASSWORD


def _by_provider(actor, attempt: Attempt, field: str) -> Proof:
    at = fresh.consume(actor)
    if at is None:
        refused(actor, attempt, "not_fresh")
        raise DomainError(_("Confirm who you are with your organisation's sign-in first, "
                            "then sign within five minutes."), status=403, field=field)
    return Proof(BY_OIDC, at)


def _by_directory(actor, credential, attempt: Attempt, field: str, message) -> Proof:
    try:
        identity = directory.authenticate(actor.email, credential or "")
    except directory.DirectoryDown:
        refused(actor, attempt, "directory_down")
        raise DomainError(_("The directory cannot be reached right now, so your password "
                            "cannot be checked; the signature was not recorded."),
                          status=503, field=field) from None
    except directory.Disabled:
        identity = None
    if identity is None:
        refused(actor, attempt, WRONG_PASSWORD)
        raise DomainError(message or _("The password is not correct; the signature was not "
                                       "recorded."), status=403, field=field)
    return Proof(BY_LDAP, utcnow())


def refused(actor, attempt: Attempt, reason: str) -> None:
    """Record a refused re-authentication; it stays although the request is rolled back."""
    who = SimpleNamespace(id=getattr(actor, "id", None), email=getattr(actor, "email", None))
    address = request.remote_addr if has_request_context() else None
    if has_request_context():
        g.setdefault(_REFUSED, True)
    uow.despite_refusal(lambda: record(
        who, "auth.reauth_failed", attempt.entity_type, attempt.entity_id,
        after={"attempt": attempt.action, "reason": reason, "ip": address, **attempt.detail},
        actor_label="anonymous"))


def allowance() -> tuple[int, int]:
    """How many wrong passwords a person may type, and within how many minutes."""
    item = parse_many(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])[0]
    return item.amount, max(1, item.get_expiry() // 60)


def _key() -> str:
    return f"reauth:{current_user.get_id()}"


def _was_refused(_response) -> bool:
    return bool(g.get(_REFUSED))


# One limit object per set of arguments: decorating a view again (another app in the same
# process) must not register a second limit that would count each wrong password twice.
@cache
def attempt_limit(action: str, entity_type: str, id_arg: str | None = None, *,
                  answer: Callable[[], object] | None = None):
    """The rate limit of a view where a signed-in person types their password again: only
    refused passwords count, one allowance per person across all such views. A request
    refused by the limit is recorded (`locked_out`) on the record named by the URL argument
    `id_arg` (the person themselves without one); `answer()` may give the page to show
    instead of the plain 429 page."""

    def breached(_limit):
        args = dict(request.view_args or {})
        entity_id = args.pop(id_arg, "-") if id_arg else current_user.get_id()
        refused(current_user, Attempt(action, entity_type, entity_id, args), LOCKED_OUT)
        return answer() if answer else None

    # Shared: one count per person whichever of these views the wrong password was typed in.
    return limiter.shared_limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
                                "reauth", key_func=_key, methods=["POST"],
                                deduct_when=_was_refused, on_breach=breached)
