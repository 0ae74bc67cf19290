"""Server-side session records: a sign-in lives exactly as long as its row allows."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import joinedload

from compliance.auth.models import Membership, User, UserSession
from compliance.core.db import utcnow
from compliance.core.extensions import db


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def start(user: User, lifetime: timedelta, ip_address: str | None = None,
          user_agent: str | None = None) -> str:
    """Open a session for the user and return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(UserSession(
        token_hash=_digest(token), user_id=user.id, created_at=now, expires_at=now + lifetime,
        ip_address=(ip_address or "")[:64] or None, user_agent=(user_agent or "")[:255] or None,
    ))
    db.session.flush()
    return token


def is_valid(user_id: int, token: str | None) -> bool:
    """Whether the token belongs to a live, unrevoked session of this user."""
    if not token:
        return False
    found = db.session.scalar(
        select(UserSession.id).where(
            UserSession.token_hash == _digest(token),
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > utcnow(),
        )
    )
    return found is not None


@cache
def _live_user_statement():
    # Built once: constructing the statement and its eager-load options anew cost more than
    # running it (0.45 ms against 0.2 ms, on every signed-in request).
    return (select(User)
            .join(UserSession, UserSession.user_id == User.id)
            # A service account has no page session, whatever a cookie says (issue 15).
            .where(User.id == bindparam("user_id"), User.active.is_(True),
                   User.is_service.is_(False),
                   UserSession.token_hash == bindparam("token_hash"),
                   UserSession.revoked_at.is_(None), UserSession.expires_at > bindparam("now"))
            .options(joinedload(User.roles),
                     joinedload(User.memberships).joinedload(Membership.department)))


def user_for(user_id: int, token: str | None) -> User | None:
    """The active user owning a live session, with roles and memberships, in one query."""
    if not token:
        return None
    return db.session.execute(
        _live_user_statement(),
        {"user_id": user_id, "token_hash": _digest(token), "now": utcnow()},
    ).unique().scalar_one_or_none()


def revoke(token: str | None) -> None:
    """End one session."""
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_all(user: User, except_token: str | None = None) -> int:
    """End every session of a user (but the one named); returns how many were live."""
    query = update(UserSession).where(UserSession.user_id == user.id,
                                      UserSession.revoked_at.is_(None))
    if except_token:
        query = query.where(UserSession.token_hash != _digest(except_token))
    result = db.session.execute(query.values(revoked_at=utcnow()))
    return result.rowcount or 0


def prune(now, keep_days: int = 30) -> int:
    """Delete session records that ended more than keep_days ago; returns how many."""
    cutoff = now - timedelta(days=keep_days)
    result = db.session.execute(delete(UserSession).where(
        or_(UserSession.expires_at < cutoff, UserSession.revoked_at < cutoff)))
    return result.rowcount or 0
