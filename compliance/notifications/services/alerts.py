"""Raising notifications: once per person and event, whatever the number of runs, and at
most one a day per person about the same thing (a document, an action, an audit ...).

Each new notification of a person who chose immediate email gets its outbox row in the same
transaction (the outbox job sends it within a minute, after the commit): nothing is sent from
inside a request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import select, text, tuple_

from compliance.auth.models import User
from compliance.core import clock
from compliance.core.db import insert_ignoring_duplicates, utcnow
from compliance.core.extensions import db
from compliance.core.job_results import JobResult
from compliance.notifications import outbox
from compliance.notifications.kinds import dump
from compliance.notifications.models import Notification

# The result code of every alert job (phrased in notifications/labels.py).
NEW_NOTIFICATIONS = "notifications.new"


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
    # News (an audit cancelled, a report issued) happens once and is told at once; only
    # reminders raised by the daily sweeps keep to one a day per person and subject.
    news: bool = False

    @property
    def subject(self) -> str:
        """What the alert is about, the key's first two parts ("document:42"): a person
        hears about one subject at most once a day."""
        return subject_of(self.key)


def subject_of(key: str) -> str:
    """The subject named by a dedupe key ("document:42:review_due:…" → "document:42")."""
    return ":".join(key.split(":")[:2])


def raise_alerts(alerts: list[Alert], now: datetime | None = None) -> int:
    """Raise each alert for each of its people once ever; returns how many are new."""
    now = now or utcnow()
    wanted = {(uid, a.key): a for a in alerts for uid in set(a.user_ids) if uid}
    if not wanted:
        return 0
    new_pairs = not_raised(list(wanted))
    fresh = [pair for pair in new_pairs if wanted[pair].news] + one_a_day(
        [pair for pair in new_pairs if not wanted[pair].news], wanted, now)
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
    new_ids = insert_ignoring_duplicates(db.session, Notification, rows, ["user_id", "dedupe_key"])
    _queue_immediate(new_ids, users, now)
    return len(new_ids)


def sweep(alerts: list[Alert], now: datetime | None = None) -> JobResult:
    """An alert job's work and result: raise its alerts, report how many are new."""
    return JobResult(NEW_NOTIFICATIONS, {"count": raise_alerts(alerts, now)})


def one_a_day(fresh: list[tuple[int, str]], wanted: dict, now: datetime) -> list:
    """Of the new (person, key) pairs, at most one per person and subject today: none when
    the person already heard about that subject today, else the last (the furthest
    escalation step) of the ones raised together. The others may come on a later day."""
    if not fresh:
        return []
    told = _told_today({uid for uid, _key in fresh}, now)
    kept: dict[tuple[int, str], tuple[int, str]] = {}
    for uid, key in fresh:
        subject = wanted[(uid, key)].subject
        if (uid, subject) not in told:
            kept.pop((uid, subject), None)
            kept[(uid, subject)] = (uid, key)
    return list(kept.values())


def _told_today(user_ids: set[int], now: datetime) -> set[tuple[int, str]]:
    """(person, subject) of the notifications raised on the organisation's day of `now`."""
    midnight = datetime.combine(clock.local_date(now), time(), clock.zone())
    # Bounded on both sides: a sweep run for an earlier day (a catch-up, a test's injected
    # `now`) must not count what was raised on a later one.
    next_midnight = datetime.combine(clock.local_date(now) + timedelta(days=1), time(),
                                     clock.zone())
    ids, told = sorted(user_ids), set()
    for start in range(0, len(ids), 500):
        for uid, key in db.session.execute(
                select(Notification.user_id, Notification.dedupe_key)
                .where(Notification.user_id.in_(ids[start:start + 500]),
                       Notification.created_at >= midnight,
                       Notification.created_at < next_midnight)):
            told.add((uid, subject_of(key)))
    return told


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
