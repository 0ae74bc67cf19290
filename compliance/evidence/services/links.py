"""Share links of a ready pack: create (the token is handed back once, only its hash kept),
revoke, use."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core import tenancy
from compliance.core.db import get_child, utcnow
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.evidence import rules
from compliance.evidence.models import EvidencePack, ShareLink, ShareUse

# The furthest a share link may reach.
MAX_LINK_DAYS = 366


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_link(actor, pack: EvidencePack, *, expires_on: date, note: str,
                today: date) -> tuple[ShareLink, str]:
    """A share link for a ready pack; the token is handed back once and only its hash kept."""
    rules.ensure(rules.may_share(actor, pack), _("This evidence pack covers another department."))
    if pack.status != "ready":
        raise DomainError(_("Only a ready pack can be shared."), status=409)
    if expires_on < today:
        raise DomainError(_("The expiry date is in the past."), field="expires_on")
    if (expires_on - today).days > MAX_LINK_DAYS:
        raise DomainError(_("A share link lasts at most one year."), field="expires_on")
    token = secrets.token_urlsafe(32)
    link = ShareLink(pack_id=pack.id, token_hash=_hash_token(token), note=note.strip()[:200],
                     expires_on=expires_on, created_by_id=actor.id, created_at=utcnow())
    db.session.add(link)
    db.session.flush()
    record(actor, "evidence.share", "evidence_pack", pack.id,
           after={"link_id": link.id, "expires_on": expires_on, "note": link.note})
    return link, token


def revoke_link(actor, pack: EvidencePack, link_id: int) -> ShareLink:
    """Stop a share link from working."""
    rules.ensure(rules.may_revoke(actor, pack), _("This evidence pack covers another department."))
    link = get_child(db.session, ShareLink, link_id, _("There is no such share link."),
                     pack_id=pack.id)
    if link.revoked_at is not None:
        raise DomainError(_("This link is already revoked."), status=409)
    link.revoked_at, link.revoked_by_id = utcnow(), actor.id
    db.session.flush()
    record(actor, "evidence.share_revoke", "evidence_pack", pack.id,
           after={"link_id": link.id})
    return link


class LinkGone(DomainError):
    """The link existed but may no longer be used."""

    status = 410


def live_link(token: str, *, today: date) -> ShareLink:
    """The live link for a token; unknown 404, expired or revoked 410. Reads only. The token
    opens its pack to whoever holds it, signed in to another organisation or not at all."""
    with tenancy.across_organisations():
        link = db.session.scalar(select(ShareLink).where(
            ShareLink.token_hash == _hash_token(token)))
        pack = link.pack if link is not None else None
    if pack is None or pack.status != "ready":
        raise NotFound(_("This link does not exist. Check that it was copied whole."))
    if link.revoked_at is not None:
        raise LinkGone(_("This link was revoked by the organisation. Ask your contact for "
                         "a new one."))
    if link.expires_on < today:
        raise LinkGone(_("This link expired on %(day)s. Ask your contact for a new one.",
                         day=link.expires_on.isoformat()))
    return link


def use_link(token: str, *, action: str, today: date, address: str | None,
             user_agent: str | None) -> ShareLink:
    """The live link for a token, with this use logged; unknown 404, expired or revoked 410."""
    link = live_link(token, today=today)
    db.session.add(ShareUse(link_id=link.id, used_at=utcnow(), action=action,
                            ip_address=(address or "")[:64] or None,
                            user_agent=(user_agent or "")[:255] or None))
    db.session.flush()
    return link
