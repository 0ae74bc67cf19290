"""One unit of work per request, command or job: commit at the edge, or roll back.

A request commits when its response is below 400 and rolls back otherwise, so a refused form
never leaves half a record behind. CLI commands and scheduler jobs use `unit_of_work()`.
Nothing else commits (the job runner and the outbox commit per job or message, documented
there). Work that must follow a commit (start a worker, send an e-mail now) is queued with
`after_commit(fn)` and runs only once the data it relies on is durable. What must be kept
whatever the answer, and without the rest of a refused request (a refused signature's trail
event), is queued with `despite_refusal(fn)` and runs in a unit of its own afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, g, has_request_context, make_response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from compliance.core.db import set_write_intent, write_intent
from compliance.core.error_pages import error_response
from compliance.core.extensions import db

log = logging.getLogger(__name__)
_QUEUE = "compliance_after_commit"
_DESPITE = "compliance_despite_refusal"


def after_commit(fn: Callable[[], object]) -> None:
    """Run `fn` once the current unit of work has committed; never if it rolls back."""
    db.session.info.setdefault(_QUEUE, []).append(fn)


def keep_despite_refusal() -> None:
    """Commit this request's changes even though it answers 4xx (e.g. a failed sign-in's
    trail event, which must stay although the sign-in is refused)."""
    g.compliance_keep = True


def despite_refusal(fn: Callable[[], object]) -> None:
    """Run `fn` once this request has ended, in a unit of work of its own that commits
    whatever the answer: after a refusal the request's own changes are rolled back first, so
    only what `fn` writes is kept (e.g. the trail event of a refused signature, while the
    signature's other writes are undone). Outside a request, `fn` runs at once, in the
    caller's unit of work."""
    if has_request_context():
        g.setdefault(_DESPITE, []).append(fn)
    else:
        fn()


def _run_despite_refusal() -> None:
    pending = g.pop(_DESPITE, [])
    if not pending:
        return
    try:
        with unit_of_work():
            for fn in pending:
                fn()
    except Exception:  # the answer is decided; a lost trail event is logged, not a 500
        log.exception("work kept despite a refusal failed")


def begin_writing() -> None:
    """End this request's read-only transaction and write from here on in a new one, so that
    long work done before (stamping, rendering) never holds the write lock."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_writing() after changes: they would be lost")
    session.rollback()
    set_write_intent(True)


def commit() -> None:
    """Commit the session, then run what was queued for after the commit."""
    db.session.commit()
    _run_queue()


def rollback() -> None:
    """Roll back the session and forget what was queued."""
    db.session.rollback()
    db.session.info.pop(_QUEUE, None)


def _run_queue() -> None:
    queued = db.session.info.pop(_QUEUE, [])
    for fn in queued:
        try:
            fn()
        except Exception:  # one failed side effect must not undo what is committed
            log.exception("after-commit task %r failed", fn)


@contextmanager
def unit_of_work(write: bool = True) -> Iterator[None]:
    """Everything inside commits together at the end, or not at all."""
    with write_intent() if write else _nothing():
        try:
            yield
        except BaseException:
            rollback()
            raise
        commit()


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def init_app(app: Flask) -> None:
    """Make every request one unit of work."""

    @app.after_request
    def _finish(response):
        if not has_request_context():
            return response
        if response.status_code < 400 or g.pop("compliance_keep", False):
            try:
                commit()
            except (StaleDataError, IntegrityError):
                rollback()
                log.info("commit refused as a conflict", exc_info=True)
                response = make_response(error_response(409))
        else:
            rollback()
        _run_despite_refusal()
        return response

    @app.teardown_request
    def _abandon(_exc):
        # Anything still open (an exception past every handler) is dropped, never committed;
        # Flask-SQLAlchemy closes the session itself when the app context ends.
        db.session.info.pop(_QUEUE, None)
