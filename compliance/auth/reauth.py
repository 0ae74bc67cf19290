"""Re-authentication when a signed-in person types their password again: at the moment of
signing (documents, audit reports, closures) and to change their own password. The one seam
every electronic signature goes through, so that a person who signs in through another
provider later can sign the same way, and the signature says how it was proved.

A refused attempt leaves a trail event (`auth.reauth_failed`: who, on which record, what
they tried, why: `wrong_password` or `locked_out`), kept although the request is refused and
rolled back, like a failed sign-in; and it counts against the person's allowance
(`COMPLIANCE_LOGIN_LIMIT_PER_ACCOUNT`), one allowance for all their signatures and password
changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace
from typing import Any

from flask import current_app, g, has_request_context, request
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse_many

from compliance.audit_trail.services import record
from compliance.auth import passwords
from compliance.core import uow
from compliance.core.errors import DomainError
from compliance.core.extensions import limiter

# The re-authentication method recorded with a signature.
BY_PASSWORD = "password"  # noqa: S105 - a method name, not a secret
WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a reason, not a secret
LOCKED_OUT = "locked_out"
_REFUSED = "compliance_reauth_refused"


@dataclass(frozen=True)
class Proof:
    """How a signer re-proved who they are."""

    method: str


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
    """Check the person's password again; a wrong one is refused (403) at its field, recorded
    in the trail and counted against their allowance."""
    if actor is None or not passwords.verify_password(actor.password_hash, credential or ""):
        refused(actor, attempt, WRONG_PASSWORD)
        raise DomainError(message or _("The password is not correct; the signature was not "
                                       "recorded."), status=403, field=field)
    return Proof(BY_PASSWORD)


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
