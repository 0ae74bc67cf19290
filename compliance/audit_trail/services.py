"""Writing and verifying the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, text

from compliance.audit_trail.models import AuditEvent
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
    """Hold the chain's head until commit so two writers never fork it."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Usually already held since BEGIN (write intent); taking it again is harmless.
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def describe_actor(actor, actor_label: str | None = None, via: str | None = None) -> str:
    """Who did it, as the trail shows it: the account's e-mail (else the label given, else
    "system"), and through what when it was not the browser's password sign-in
    (e.g. "via token 12", "via oidc") -- room for API tokens and providers, no new column."""
    label = getattr(actor, "email", None) or actor_label or "system"
    return f"{label} via {via}"[:255] if via else label


def record(actor, action: str, entity_type: str, entity_id: Any,
           before: dict | None = None, after: dict | None = None,
           actor_label: str | None = None, *, via: str | None = None) -> AuditEvent:
    """Append one event to the chain (in the caller's transaction): the actor (id and label,
    see describe_actor), the action, the entity and its before/after snapshots."""
    _lock_chain()
    head = db.session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    event = AuditEvent(
        seq=(head.seq + 1) if head else 1,
        occurred_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_label=describe_actor(actor, actor_label, via),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before_json=canonical(before),
        after_json=canonical(after),
        prev_hash=head.hash if head else GENESIS,
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


def verify(batch: int = 1000) -> Verdict:
    """Walk the whole chain in order; name the first event that does not fit."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    rows = db.session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    ).scalars()
    for event in rows:
        problem = _check_link(event, expected_seq, prev_hash)
        if problem:
            return Verdict(False, checked, event.seq, problem)
        checked += 1
        expected_seq, prev_hash = event.seq + 1, event.hash
    return Verdict(True, checked, head=prev_hash if checked else None)


def _check_link(event: AuditEvent, expected_seq: int, prev_hash: str) -> str | None:
    if event.seq != expected_seq:
        return _("event %(seq)d is missing (next found is %(found)d)",
                 seq=expected_seq, found=event.seq)
    if event.prev_hash != prev_hash:
        return _("event %(seq)d does not follow event %(prev)d (previous hash differs)",
                 seq=event.seq, prev=event.seq - 1)
    if compute_hash(event) != event.hash:
        return _("event %(seq)d was altered (its content no longer matches its hash)",
                 seq=event.seq)
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


def count() -> int:
    """Number of events recorded."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def history(entity_type: str, entity_id: Any, limit: int = 200) -> list[AuditEvent]:
    """Events about one entity, newest first."""
    return list(db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id))
        .order_by(AuditEvent.seq.desc()).limit(limit)
    ))
