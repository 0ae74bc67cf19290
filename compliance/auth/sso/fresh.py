"""A signature by a person signed in through the OpenID Connect provider: they are sent to
the provider with `prompt=login` and `max_age=0`, and the `auth_time` of the token it sends
back must be after they were sent. The proof is kept in their session for five minutes and
used by one signature."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import session
from sqlalchemy import select

from compliance.auth.sso.models import OIDC, IdentityLink
from compliance.core.clock import host_seconds
from compliance.core.extensions import db

_STARTED = "reauth_started"
_PROOF = "reauth_proof"
VALID_SECONDS = 300


def begin() -> None:
    """Note when the person was sent to the provider to prove who they are again."""
    session[_STARTED] = host_seconds()


def pending() -> float | None:
    """When a re-authentication began, if one is under way (and forget it)."""
    return session.pop(_STARTED, None)


def same_person(user, subject: str) -> bool:
    """Whether the provider's subject is the one linked to this account."""
    return db.session.scalar(select(IdentityLink.id).where(
        IdentityLink.user_id == user.id, IdentityLink.provider == OIDC,
        IdentityLink.subject == subject)) is not None


def keep(user, auth_time: float) -> None:
    """Remember the fresh proof for the person's next signature."""
    session[_PROOF] = {"user": user.id, "at": auth_time,
                       "until": host_seconds() + VALID_SECONDS}


def ready(user) -> bool:
    """Whether a fresh proof waits for this person's signature."""
    proof = session.get(_PROOF)
    return bool(proof) and proof["user"] == getattr(user, "id", None) \
        and proof["until"] > host_seconds()


def consume(user) -> datetime | None:
    """The time the provider re-proved the person, once, within five minutes; else None."""
    if not ready(user):
        session.pop(_PROOF, None)
        return None
    return datetime.fromtimestamp(session.pop(_PROOF)["at"], UTC)
