"""Evidence packs: getting one (visibility applied), queueing a build, a build that never
started, the state shown."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core.db import utcnow
from compliance.core.errors import DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.evidence import rules
from compliance.evidence import scope as scopes
from compliance.evidence.models import SCOPE_KINDS, SILENT_AFTER_SECONDS, EvidencePack
from compliance.org.naming import organisation_name

# The longest period one pack may cover.
MAX_PERIOD_DAYS = 366 * 10


def get_pack(user, pack_id: int, for_update: bool = False) -> EvidencePack:
    """A pack the user may see; those refused learn nothing about a missing one."""
    rules.ensure_open(user)
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
                 period_end: date, locale: str, include_quality: bool = False) -> EvidencePack:
    """Queue a pack for a scope and period (with the quality system of the scope, if asked);
    the worker is started after the commit."""
    rules.ensure_use(actor)
    if scope_kind not in SCOPE_KINDS or scope_kind == rules.SUBTREE:
        raise DomainError(_("Unknown kind of scope."), field="scope_kind")
    _check_period(period_start, period_end)
    if include_quality and scope_kind == "clause":
        raise DomainError(_("Objectives, measures and risks belong to departments: choose a "
                            "department, an audit or the whole organisation to include "
                            "them."), field="include_quality")
    scope = scopes.resolve(scope_kind, scope_id, locale)
    rules.ensure(rules.may_build(actor, scope.department_id),
                 _("Department heads build packs for their own department or its audits only."))
    return _queued(actor, scope, period_start, period_end, locale, include_quality)


def request_subtree_pack(actor, *, organisation_id: int, period_start: date, period_end: date,
                         locale: str, include_quality: bool = False) -> EvidencePack:
    """Queue a pack across an organisation the actor oversees and those below it, each one's
    records a section of its own. The pack and the record of the request are the actor's
    organisation's: nothing is written in the organisations it reads."""
    # An organisation not overseen is not confirmed to exist.
    if not rules.may_build_subtree(actor, organisation_id):
        raise NotFound(_("No such organisation."))
    _check_period(period_start, period_end)
    with force_locale(locale):
        label = _("%(name)s and the organisations below it",
                  name=organisation_name(locale, organisation_id))
    scope = scopes.Scope(rules.SUBTREE, organisation_id, label)
    return _queued(actor, scope, period_start, period_end, locale, include_quality)


def _check_period(period_start: date, period_end: date) -> None:
    if period_end < period_start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if (period_end - period_start).days > MAX_PERIOD_DAYS:
        raise DomainError(_("A pack covers at most ten years."), field="period_end")


def _queued(actor, scope, period_start: date, period_end: date, locale: str,
            include_quality: bool) -> EvidencePack:
    pack = EvidencePack(scope_kind=scope.kind, scope_id=scope.id,
                        department_id=scope.department_id, scope_label=scope.label[:300],
                        period_start=period_start, period_end=period_end, locale=locale,
                        include_quality=bool(include_quality),
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
    """The state to show: a build that will never finish has failed."""
    return "failed" if stalled(pack, time_limit, now) else pack.status


def stalled(pack: EvidencePack, time_limit: int, now: datetime | None = None) -> str | None:
    """Why a queued or building pack will never finish, or None while it may: no worker took
    it up ("unclaimed"), its worker fell silent ("silent"), or it is long past its time
    limit ("time"). A worker killed with its supervisor leaves no word: its silence tells."""
    if pack.status not in ("queued", "building"):
        return None
    now, silence = now or utcnow(), timedelta(seconds=SILENT_AFTER_SECONDS)
    if pack.status == "queued":
        return "unclaimed" if now - pack.created_at > silence else None
    if now - (pack.started_at or pack.created_at) > timedelta(seconds=time_limit + 120):
        return "time"
    if now - (pack.heartbeat_at or pack.started_at or pack.created_at) > silence:
        return "silent"
    return None


def stale_error(reason: str | None = "time") -> str:
    """Why a build that never finished is shown as failed."""
    if reason == "unclaimed":
        return _("The build never started: no worker took it up within %(seconds)d seconds. "
                 "Build the pack again.", seconds=SILENT_AFTER_SECONDS)
    if reason == "silent":
        return _("The build stopped without finishing: its worker has given no sign of life "
                 "for %(seconds)d seconds. Build the pack again.", seconds=SILENT_AFTER_SECONDS)
    return _("The build stopped without finishing: its worker ended or passed its time limit.")
