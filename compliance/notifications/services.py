"""Raising notifications once per event, reading them, and each person's email choice."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _gettext
from sqlalchemy import select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.core.db import utcnow
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.notifications import outbox
from compliance.notifications.kinds import KINDS, dump
from compliance.notifications.models import Notification

EMAIL_MODES = ("immediate", "digest", "none")
INSERT_SLICE = 500


@dataclass
class Alert:
    """A notification about to be raised for some people."""

    kind: str
    key: str
    user_ids: Iterable[int]
    params: dict = field(default_factory=dict)
    # A path, or a function that makes it: a daily sweep builds a thousand alerts that
    # were raised on earlier days, and only the new ones need their link built.
    link: str | Callable[[], str] = ""


def insert_ignoring_duplicates(model, rows: list[dict], unique: list[str]):
    """INSERT … ON CONFLICT DO NOTHING on the unique columns; returns the new rows' ids."""
    if not rows:
        return []
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    ids = []
    # In slices: SQLite takes at most 32,766 bound values in one statement.
    for start in range(0, len(rows), INSERT_SLICE):
        statement = (insert(model).values(rows[start:start + INSERT_SLICE])
                     .on_conflict_do_nothing(index_elements=unique).returning(model.id))
        ids.extend(db.session.scalars(statement))
    return ids


def raise_alerts(alerts: list[Alert], now: datetime | None = None) -> int:
    """Raise each alert for each of its people once ever; returns how many are new."""
    now = now or utcnow()
    wanted = {(uid, a.key): a for a in alerts for uid in set(a.user_ids) if uid}
    if not wanted:
        return 0
    fresh = not_raised(list(wanted))
    if not fresh:
        return 0
    users = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({uid for uid, _key in fresh}), User.active.is_(True)))}
    rows = []
    for uid, key in fresh:
        if uid not in users:
            continue
        alert = wanted[(uid, key)]
        rows.append({"user_id": uid, "kind": alert.kind, "dedupe_key": key,
                     "params": dump(alert.params), "link": _path(alert.link), "created_at": now,
                     "email_state": _email_state(users[uid])})
    new_ids = insert_ignoring_duplicates(Notification, rows, ["user_id", "dedupe_key"])
    _queue_immediate(new_ids, users, now)
    return len(new_ids)


def _path(link: str | Callable[[], str]) -> str:
    return link() if callable(link) else link


# One index probe per (user, key) pair, whatever the number of notifications kept; the pairs
# travel as one JSON parameter (the statement's text never changes), and only the positions
# of the new ones come back, which on most days is none.
_LOOKUPS = {
    "sqlite": "SELECT j.key FROM json_each(:pairs) AS j WHERE NOT EXISTS ("
              "SELECT 1 FROM notification AS n "
              "WHERE n.user_id = json_extract(j.value, '$[0]') "
              "AND n.dedupe_key = json_extract(j.value, '$[1]'))",
    "postgresql": "SELECT j.position - 1 "
                  "FROM jsonb_array_elements(CAST(:pairs AS jsonb)) "
                  "WITH ORDINALITY AS j(value, position) WHERE NOT EXISTS ("
                  "SELECT 1 FROM notification AS n "
                  "WHERE n.user_id = CAST(j.value ->> 0 AS integer) "
                  "AND n.dedupe_key = j.value ->> 1)",
}


def not_raised(pairs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The (user id, dedupe key) pairs not raised yet (the sweep's dedupe lookup)."""
    if not pairs:
        return []
    lookup = _LOOKUPS.get(db.engine.dialect.name)
    if lookup is None:
        existing = set(db.session.execute(
            select(Notification.user_id, Notification.dedupe_key)
            .where(tuple_(Notification.user_id, Notification.dedupe_key).in_(pairs))).all())
        return [pair for pair in pairs if tuple(pair) not in existing]
    positions = db.session.scalars(text(lookup), {"pairs": json.dumps(pairs)}).all()
    return [pairs[int(position)] for position in sorted(positions)]


def _email_state(user: User) -> str:
    if not outbox.email_enabled() or user.email_mode == "none":
        return "none"
    return "digest" if user.email_mode == "digest" else "queued"


def _queue_immediate(new_ids: list[int], users: dict[int, User], now: datetime) -> None:
    if not new_ids:
        return
    for note in db.session.scalars(select(Notification).where(
            Notification.id.in_(new_ids), Notification.email_state == "queued")):
        outbox.queue_notification(users[note.user_id], note, now)


def for_user(user, *, unread_only: bool = False, limit: int = 50,
             before_id: int | None = None) -> list[Notification]:
    """A person's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if before_id:
        query = query.where(Notification.id < before_id)
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def unread_count(user) -> int:
    """How many of a person's notifications are unread (the bell's number)."""
    return db.session.scalar(
        select(db.func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_read(user, notification_id: int) -> Notification:
    """Mark one of the person's own notifications read."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound(_gettext("No such notification."))
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()
    return note


def mark_all_read(user) -> int:
    """Mark every unread notification of the person read; returns how many."""
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user.id,
                                   Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    return result.rowcount or 0


def set_email_mode(actor, mode: str) -> None:
    """Choose immediate email, a daily digest or in-app only."""
    if mode not in EMAIL_MODES:
        raise DomainError(_unknown_mode())
    before = actor.email_mode
    if before == mode:
        return
    actor.email_mode = mode
    db.session.flush()
    record(actor, "user.email_mode", "user", actor.id, before={"email_mode": before},
           after={"email_mode": mode})


def _unknown_mode() -> str:
    return _gettext("Choose one of the offered email settings.")


def known_kind(kind: str) -> bool:
    """Whether a kind is one the product raises."""
    return kind in KINDS


def base_url() -> str:
    """Where people reach the app, without a trailing slash."""
    return current_app.config["BASE_URL"].rstrip("/")
