"""Re-authentication at the moment of signing: the one seam every electronic signature goes
through (documents, audit reports, closures), so that a person who signs in through another
provider later can sign the same way, and the signature says how it was proved."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from compliance.auth import passwords
from compliance.core.errors import DomainError
from compliance.core.extensions import limiter

# The re-authentication method recorded with a signature.
BY_PASSWORD = "password"  # noqa: S105 - a method name, not a secret


@dataclass(frozen=True)
class Proof:
    """How a signer re-proved who they are."""

    method: str


def verify(actor, credential: str | None, *, field: str = "password") -> Proof:
    """Check the signer's credential again; a wrong one is refused (403) at its field."""
    if actor is None or not passwords.verify_password(actor.password_hash, credential or ""):
        raise DomainError(_("The password is not correct; the signature was not recorded."),
                          status=403, field=field)
    return Proof(BY_PASSWORD)


def _signature_key() -> str:
    return f"signature:{current_user.get_id()}"


def _refused(response) -> bool:
    return response.status_code in (400, 403)


# A signature re-checks the credential, so it is rate-limited per person like signing in;
# only refused attempts count.
SIGNATURE_LIMIT = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
                                key_func=_signature_key, methods=["POST"],
                                deduct_when=_refused, scope="signature")
