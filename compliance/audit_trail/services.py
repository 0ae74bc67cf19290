"""Writing and verifying the chains: one per organisation (issue 14), so one organisation's
export and verification never depend on another's.

An event links to the previous event of its own organisation (`prev_hash`) and numbers its
place there (`position`); `seq` still orders the installation's events and is hashed as
before, so the events sealed before there were several chains keep their hashes (with one
organisation, position and seq are the same). The organisation itself is bound by the links:
an event moved to another organisation leaves a gap in its chain and does not follow the
other's."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import func, select, text

from compliance.audit_trail.models import AuditEvent
from compliance.core import tenancy
from compliance.core.db import WRITE_LOCK_KEY, utcnow
from compliance.core.extensions import db

GENESIS = "0" * 64


def canonical(data: dict[str, Any] | None) -> str | None:
    """Stable JSON text for a snapshot, so the hash does not depend on key order."""
    if data is None:
        return None
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def compute_hash(event: AuditEvent) -> str:
    """SHA-256 over every recorded field and the previous hash."""
    payload = "\x1f".join([
        str(event.seq),
        event.occurred_at.isoformat(timespec="microseconds"),
        "" if event.actor_id is None else str(event.actor_id),
        event.actor_label,
        event.action,
        event.entity_type,
        event.entity_id,
        event.before_json or "",
        event.after_json or "",
        event.prev_hash,
    ])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    """Hold the chains' heads until commit so two writers never fork one."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Usually already held since BEGIN (write intent); taking it again is harmless.
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def describe_actor(actor, actor_label: str | None = None, via: str | None = None) -> str:
    """Who did it, as the trail shows it: the account's e-mail (else the label given, else
    "system"), and through what when it was not the browser's password sign-in
    (e.g. "via token 12", "via oidc") -- room for API tokens and providers, no new column."""
    label = getattr(actor, "email", None) or actor_label or "system"
    return f"{label} via {via}"[:255] if via else label


def current_via() -> str | None:
    """What the request acts through when not the browser's sign-in: the API token its
    bearer header named ("token 12 portal", set by compliance.api), else nothing."""
    return g.get("audit_via") if has_app_context() else None


def organisation_of_event(actor) -> int | None:
    """Whose chain an event joins: the organisation the work acts for, else the actor's,
    else the default one."""
    found = tenancy.current_organisation_id()
    if found is None:
        found = getattr(actor, "organisation_id", None)
    if found is None:
        found = tenancy.default_organisation_id(db.session.connection())
    return found


def chain_head(organisation_id: int) -> tuple[int, str] | None:
    """The last event of an organisation's chain: its position and hash."""
    row = db.session.execute(
        select(AuditEvent.position, AuditEvent.hash)
        .where(AuditEvent.organisation_id == organisation_id)
        .order_by(AuditEvent.position.desc()).limit(1)).first()
    return (row.position, row.hash) if row else None


def record(actor, action: str, entity_type: str, entity_id: Any,
           before: dict | None = None, after: dict | None = None,
           actor_label: str | None = None, *, via: str | None = None) -> AuditEvent:
    """Append one event to its organisation's chain (in the caller's transaction): the actor
    (id and label, see describe_actor), the action, the entity and its before/after
    snapshots."""
    _lock_chain()
    organisation_id = organisation_of_event(actor)
    last_seq = db.session.scalar(select(func.max(AuditEvent.seq))) or 0
    head = chain_head(organisation_id)
    event = AuditEvent(
        seq=last_seq + 1,
        organisation_id=organisation_id,
        position=(head[0] + 1) if head else 1,
        occurred_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_label=describe_actor(actor, actor_label, via or current_via()),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before_json=canonical(before),
        after_json=canonical(after),
        prev_hash=head[1] if head else GENESIS,
    )
    event.hash = compute_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


@dataclass
class Verdict:
    """Outcome of a chain check."""

    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str | None = None
    head: str | None = None


def verify(organisation_id: int | None = None, batch: int = 1000) -> Verdict:
    """Walk one organisation's chain in order (the current one's, else the default's); name
    the first event that does not fit, by its position in that chain."""
    if organisation_id is None:
        organisation_id = organisation_of_event(None)
    expected, prev_hash, checked = 1, GENESIS, 0
    rows = db.session.execute(
        select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
        .order_by(AuditEvent.position).execution_options(yield_per=batch)
    ).scalars()
    for event in rows:
        problem = _check_link(event, expected, prev_hash)
        if problem:
            return Verdict(False, checked, event.position, problem)
        checked += 1
        expected, prev_hash = event.position + 1, event.hash
    return Verdict(True, checked, head=prev_hash if checked else None)


def verify_all(batch: int = 1000) -> dict[int, Verdict]:
    """Every organisation's chain, each on its own (organisation id -> verdict)."""
    ids = db.session.scalars(text("SELECT id FROM organisation ORDER BY id")).all()
    return {organisation_id: verify(organisation_id, batch) for organisation_id in ids}


def _check_link(event: AuditEvent, expected: int, prev_hash: str) -> str | None:
    if event.position != expected:
        return _("event %(seq)d is missing (next found is %(found)d)",
                 seq=expected, found=event.position)
    if event.prev_hash != prev_hash:
        return _("event %(seq)d does not follow event %(prev)d (previous hash differs)",
                 seq=event.position, prev=event.position - 1)
    if compute_hash(event) != event.hash:
        return _("event %(seq)d was altered (its content no longer matches its hash)",
                 seq=event.position)
    return None


def named_files(conn=None) -> set[str]:
    """The digests of stored files that events name (`"sha256"` in a snapshot): earlier
    files of a draft stay stored because the trail names them, although no row does."""
    table = AuditEvent.__table__
    found: set[str] = set()
    rows = (conn or db.session).execute(
        select(table.c.before_json, table.c.after_json)
        .where(table.c.before_json.contains('"sha256"') | table.c.after_json.contains('"sha256"')))
    for texts in rows:
        for snapshot in texts:
            data = json.loads(snapshot) if snapshot else None
            value = data.get("sha256") if isinstance(data, dict) else None
            if isinstance(value, str):
                found.add(value)
    return found


def count(organisation_id: int | None = None) -> int:
    """Number of events recorded (in one organisation's chain, when named)."""
    query = select(func.count()).select_from(AuditEvent)
    if organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == organisation_id)
    return db.session.scalar(query) or 0


def history(entity_type: str, entity_id: Any, limit: int = 200) -> list[AuditEvent]:
    """Events about one entity, newest first."""
    return list(db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id))
        .order_by(AuditEvent.seq.desc()).limit(limit)
    ))


def recorded_for(entity_type: str, entity_ids, prefix: str) -> list[tuple[str, dict]]:
    """(entity id, what it recorded) of the events of actions starting with `prefix` on these
    entities, oldest first: for a document that prints how several signatures were proved."""
    ids = [str(i) for i in entity_ids]
    if not ids:
        return []
    rows = db.session.execute(select(AuditEvent.entity_id, AuditEvent.after_json).where(
        AuditEvent.entity_type == entity_type, AuditEvent.entity_id.in_(ids),
        AuditEvent.action.startswith(prefix), AuditEvent.after_json.is_not(None))
        .order_by(AuditEvent.seq))
    return [(entity_id, after) for entity_id, written in rows
            if isinstance(after := json.loads(written), dict)]


def last_recorded(entity_type: str, entity_id: Any, action: str) -> dict | None:
    """What the latest event of this action on the entity recorded (its `after`), if any:
    for a document that prints how a signature was proved."""
    found = db.session.scalar(select(AuditEvent.after_json).where(
        AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id),
        AuditEvent.action == action).order_by(AuditEvent.seq.desc()).limit(1))
    return json.loads(found) if found else None
