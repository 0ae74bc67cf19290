"""State changes of packs and share links: validate, mutate, flush, record; never commit."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date, datetime, timedelta
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core.db import utcnow
from compliance.core.errors import DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.evidence import rules
from compliance.evidence import scope as scopes
from compliance.evidence.models import SCOPE_KINDS, EvidencePack, ShareLink, ShareUse, Verification

# The longest period one pack may cover, and the furthest a share link may reach.
MAX_PERIOD_DAYS = 366 * 10
MAX_LINK_DAYS = 366


def get_pack(user, pack_id: int, for_update: bool = False) -> EvidencePack:
    """A pack the user may see; those refused learn nothing about a missing one."""
    rules.ensure_use(user)
    query = select(EvidencePack).where(EvidencePack.id == pack_id)
    pack = db.session.scalar(query.with_for_update() if for_update else query)
    if pack is None:
        if not rules.sees_every_scope(user):
            # Those who see only some packs learn nothing from a missing one.
            raise PermissionDenied(_("This evidence pack covers another department."))
        raise NotFound(_("There is no evidence pack with this id."))
    if not rules.may_see(user, pack):
        raise PermissionDenied(_("This evidence pack covers another department."))
    return pack


def request_pack(actor, *, scope_kind: str, scope_id: int | None, period_start: date,
                 period_end: date, locale: str) -> EvidencePack:
    """Queue a pack for a scope and period; the worker is started after the commit."""
    rules.ensure_use(actor)
    if scope_kind not in SCOPE_KINDS:
        raise DomainError(_("Unknown kind of scope."), field="scope_kind")
    if period_end < period_start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if (period_end - period_start).days > MAX_PERIOD_DAYS:
        raise DomainError(_("A pack covers at most ten years."), field="period_end")
    scope = scopes.resolve(scope_kind, scope_id, locale)
    rules.ensure(rules.may_build(actor, scope.department_id),
                 _("Department heads build packs for their own department or its audits only."))
    pack = EvidencePack(scope_kind=scope.kind, scope_id=scope.id,
                        department_id=scope.department_id, scope_label=scope.label[:300],
                        period_start=period_start, period_end=period_end, locale=locale,
                        status="queued", progress=0, step="queued",
                        job_key=secrets.token_hex(16), created_by_id=actor.id,
                        created_at=utcnow())
    db.session.add(pack)
    db.session.flush()
    record(actor, "evidence.request", "evidence_pack", pack.id, after=pack.snapshot())
    return pack


def not_started(pack_id: int, message: str) -> None:
    """Mark a pack failed whose worker process could not even be started."""
    pack = db.session.get(EvidencePack, pack_id)
    pack.status, pack.error, pack.step, pack.finished_at = "failed", message, "failed", utcnow()
    db.session.flush()
    record(None, "evidence.failed", "evidence_pack", pack.id,
           after={"reference": pack.reference, "error": message}, actor_label="system")


def effective_state(pack: EvidencePack, time_limit: int, now: datetime | None = None) -> str:
    """The state to show: a build whose worker is long past its time limit has failed."""
    if pack.status in ("queued", "building"):
        since = pack.started_at or pack.created_at
        if (now or utcnow()) - since > timedelta(seconds=time_limit + 120):
            return "failed"
    return pack.status


def stale_error() -> str:
    """Why a build that never finished is shown as failed."""
    return _("The build stopped without finishing: its worker ended or passed its time limit.")


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
    link = db.session.get(ShareLink, link_id)
    if link is None or link.pack_id != pack.id:
        raise NotFound(_("There is no such share link."))
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
    """The live link for a token; unknown 404, expired or revoked 410. Reads only."""
    link = db.session.scalar(select(ShareLink).where(ShareLink.token_hash == _hash_token(token)))
    if link is None or link.pack.status != "ready":
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


def read_pack_upload(stream: BinaryIO, limit_mb: int) -> bytes:
    """The uploaded pack's bytes, read no further than the limit; a PDF or refused."""
    limit = int(limit_mb) * 1024 * 1024
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(_("The file is larger than the limit of %(mb)d MB.", mb=limit_mb),
                          status=413, field="file")
    if not data.startswith(b"%PDF-"):
        raise DomainError(_("This is not a PDF file: an evidence pack is a PDF."), field="file")
    return data


def record_verification(actor, *, filename: str, data: bytes, report) -> Verification:
    """Keep the outcome of a verification, so the check itself is on record."""
    rules.ensure(rules.may_verify(actor), _("You may not use evidence packs."))
    pack = db.session.get(EvidencePack, report.pack_id) if report.pack_id else None
    if pack is not None and not rules.may_see(actor, pack):
        pack = None
    check = Verification(pack_id=pack.id if pack else None, filename=filename[:255],
                         sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                         ok=report.ok, problems_json=json.dumps(report.problems,
                                                                ensure_ascii=False),
                         checked_by_id=actor.id, checked_at=utcnow())
    db.session.add(check)
    db.session.flush()
    record(actor, "evidence.verify", "evidence_verification", check.id,
           after={"pack_id": check.pack_id, "sha256": check.sha256, "ok": check.ok})
    return check


def get_verification(user, verification_id: int) -> Verification:
    """A verification the user may read; those who see only their own learn nothing about
    the others, nor about a missing one."""
    rules.ensure_use(user)
    check = db.session.get(Verification, verification_id)
    if check is None or not rules.may_read_verification(user, check):
        if not rules.sees_every_scope(user):
            raise PermissionDenied(_("You may not open this verification."))
        raise NotFound(_("There is no such verification."))
    return check
