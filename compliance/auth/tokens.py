"""Personal access tokens for /api/v1: created, listed, revoked and checked (issue 15).

The secret is shown once and kept only as its SHA-256; its `cmp_` prefix lets secret scanners
and people recognise it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from compliance.audit_trail.services import record
from compliance.auth import rules
from compliance.auth.models import ApiToken, User
from compliance.core import clock, uow
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db

PREFIX = "cmp_"
SCOPES = ("read", "read write")
DEFAULT_DAYS = 90
MAX_DAYS = 366


def digest(secret: str) -> str:
    """The SHA-256 kept in place of a secret."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def create(actor: User, name: str, scope: str, days: int = DEFAULT_DAYS,
           owner: User | None = None) -> tuple[ApiToken, str]:
    """A new token of the actor's own (or, by an administrator, of a service account);
    returns it and its secret (never stored)."""
    owner = owner or actor
    rules.ensure(rules.may_create_token_for(actor, owner))
    if scope not in SCOPES:
        raise DomainError(_("Unknown scope."), field="scope")
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(_("A token lasts from 1 day to 1 year."), field="days")
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = clock.utcnow()
    token = ApiToken(user_id=owner.id, organisation_id=owner.organisation_id, name=name[:100],
                     token_hash=digest(secret), prefix=secret[:12], scope=scope,
                     created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    record(actor, "api_token.create", "user", owner.id,
           after={"token": token.id, "name": token.name, "scope": scope,
                  "expires": token.expires_at.date().isoformat()})
    return token, secret


def own_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.id.desc())))


def organisation_tokens(actor: User) -> list[ApiToken]:
    """Every token of the actor's organisation, for a manager of tokens: live ones first,
    then newest first."""
    stmt = rules.visible_tokens(actor, select(ApiToken))
    found = db.session.scalars(stmt.order_by(ApiToken.id.desc()))
    return sorted(found, key=lambda t: t.revoked_at is not None)


def revoke(actor: User, token_id: int) -> ApiToken:
    """End a token for good: one's own, or (an administrator) any of the organisation's."""
    token = db.session.get(ApiToken, token_id)
    # Another's token is answered as missing unless the actor may revoke it.
    if token is None or not rules.may_revoke_token(actor, token):
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = clock.utcnow()
        db.session.flush()
        record(actor, "api_token.revoke", "user", token.user_id,
               after={"token": token.id, "name": token.name})
    return token


def revoke_all(user: User) -> int:
    """End every live token of a user (their account is deactivated); returns how many."""
    live = [t for t in own_tokens(user) if t.revoked_at is None]
    now = clock.utcnow()
    for token in live:
        token.revoked_at = now
    return len(live)


def check(secret: str) -> tuple[ApiToken | None, str]:
    """The live token for a secret and "ok", or None and why not (unknown, expired, revoked,
    inactive); a live token's last use is noted."""
    if not secret.startswith(PREFIX):
        return None, "invalid_token"
    # The user's roles and memberships in the same query: every request's rules read them,
    # and loaded lazily they were two more round trips per API call.
    owner = joinedload(ApiToken.user)
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == digest(secret))
        .options(owner.joinedload(User.roles), owner.joinedload(User.memberships))
    ).unique().first()
    now = clock.utcnow()
    if token is None:
        return None, "invalid_token"
    if token.revoked_at is not None:
        return None, "token_revoked"
    if token.expires_at <= now:
        return None, "token_expired"
    if not token.user.active:
        return None, "user_inactive"
    # Once a minute is enough to say when a token was last used, and spares a write per call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token_id = token.id
        uow.despite_refusal(lambda: _note_use(token_id, now))
    return token, "ok"


def _note_use(token_id: int, now) -> None:
    # Written after the request, in a writing unit of its own: written in a read request's
    # transaction, the note turned a reader into a writer, which SQLite refuses at once
    # ("database is locked", a 500) while another request writes.
    db.session.execute(update(ApiToken).where(ApiToken.id == token_id)
                       .values(last_used_at=now))
