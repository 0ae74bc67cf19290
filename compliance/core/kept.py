"""Read-mostly values kept across requests (issue 16, item 13).

Every signed-in page asks for the same few things that change perhaps once a week: the
organisation's name, the filter lists of a register (departments, clauses, owners), whom the
reader oversees. Each is a query of 0.2–0.5 ms of Python, a third of a register page. They
are kept per app, organisation and key, and dropped:

- at once in this process when anything in it commits a write (any statement other than a
  SELECT or PRAGMA; the engine's listener below notes it), so a page after a change of this
  process always shows it;
- after `TTL` seconds otherwise, which bounds what another process's write (a second web
  worker, the scheduler) can leave unseen: a filter list or a name a few seconds late.

Nothing is kept or used for a request that may write, or one that has written (its own
uncommitted rows would be missing), or outside a request (commands and jobs read afresh).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from compliance.core import tenancy
from compliance.core.extensions import db

TTL = 5.0
LIMIT = 4096  # entries per app; past it the store starts afresh
_READS = ("SELECT", "PRAGMA", "BEGIN")
_generation = 0
T = TypeVar("T")


def kept(name: str, key: tuple, build: Callable[[], T]) -> T:
    """The value `build()` gives, kept under (name, the current organisation, key)."""
    if not has_request_context() or request.method not in ("GET", "HEAD") or _writing():
        return build()
    store = current_app.extensions.setdefault("compliance_kept", {})
    full = (name, tenancy.current_organisation_id(), key)
    now = time.monotonic()
    found = store.get(full)
    if found is not None and found[0] == _generation and now - found[1] < TTL:
        return found[2]
    # The generation as it was before reading: a write committed meanwhile makes it stale.
    generation = _generation
    value = build()
    if len(store) >= LIMIT:
        store.clear()
    store[full] = (generation, now, value)
    return value


def _writing() -> bool:
    """Whether this request has changed something not yet committed (a GET may: opening a
    notification marks it read), which a value kept from before would not show."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        return True
    return session.in_transaction() and \
        session.connection().info.get("compliance_wrote", False)


def forget() -> None:
    """Drop every kept value (a write was committed)."""
    global _generation
    _generation += 1


def watch(engine: Engine) -> None:
    """Note the engine's writes, and forget kept values when they are committed."""

    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(conn, _cursor, statement, _parameters, _context, _many):
        if not statement.lstrip()[:6].upper().startswith(_READS):
            conn.info["compliance_wrote"] = True

    @event.listens_for(engine, "commit")
    def _forget_on_commit(conn):
        if conn.info.pop("compliance_wrote", False):
            forget()
            conn.info["compliance_committed"] = True

    @event.listens_for(engine, "checkin")
    def _forget_again(_dbapi_connection, record):
        # The commit event comes just before the commit: a request reading in between kept
        # what it read under the new generation, so forget once more when it is durable.
        if record.info.pop("compliance_committed", False):
            forget()

    @event.listens_for(engine, "rollback")
    def _nothing_written(conn):
        conn.info.pop("compliance_wrote", None)
