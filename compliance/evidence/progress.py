"""The worker's side of a pack: claim it, report progress, store the result or the reason.

The worker is a job process, not a request: it ends its transactions step by step (the read
transaction once the records are collected, then one short write for the result or the
failure), always through `core.uow`, so that the long render never holds a transaction.
Progress updates, the heartbeat and the claim write on a connection of their own, in one
statement each. The heartbeat (a thread, every HEARTBEAT_SECONDS) tells the pages that the
build is alive: a build silent for SILENT_AFTER_SECONDS is shown as failed, so a worker killed
with its supervisor (a restart, the OOM killer) is known within a minute, not at the time limit.
"""

from __future__ import annotations

import io
import json
import logging
import os
import threading
import time
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from compliance.audit_trail.services import record
from compliance.core import signals, tenancy, uow
from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.evidence.builder import inspection, subtree
from compliance.evidence.builder.run import BuildError, build
from compliance.evidence.models import (
    HEARTBEAT_SECONDS,
    SILENT_AFTER_SECONDS,
    EvidencePack,
    StampedCopy,
)
from compliance.evidence.rules import SUBTREE
from compliance.evidence.scope import INSPECTION

log = logging.getLogger(__name__)
WORKER_LABEL = "evidence-worker"


def _update(pack_id: int, key: str, **values) -> int:
    """Write to the pack row in a short transaction of its own connection.

    The key keeps a worker to its own pack, even if the row it was started for is gone."""
    with write_intent(), db.engine.begin() as conn:
        return conn.execute(update(EvidencePack).where(EvidencePack.id == pack_id,
                                                       EvidencePack.job_key == key)
                            .values(**values)).rowcount


class Reporter:
    """Progress updates, at most about one a second so the database is not kept busy."""

    def __init__(self, pack_id: int, key: str):
        self.pack_id, self.key, self.last, self.percent = pack_id, key, 0.0, 0

    def __call__(self, percent: int, step: str) -> None:
        now = time.monotonic()
        if percent > self.percent and (now - self.last > 0.5 or percent >= 85):
            self.percent, self.last = percent, now
            _update(self.pack_id, self.key, progress=min(percent, 99), step=step[:64],
                    heartbeat_at=utcnow())


class Heartbeat:
    """A thread that writes the pack's heartbeat while the build runs."""

    def __init__(self, app, pack_id: int, key: str, every: float = HEARTBEAT_SECONDS):
        self.app, self.pack_id, self.key, self.every = app, pack_id, key, every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{pack_id}",
                                       daemon=True)

    def _beat(self) -> None:
        with self.app.app_context():
            while not self.stopped.wait(self.every):
                try:
                    _update(self.pack_id, self.key, heartbeat_at=utcnow())
                except Exception:  # a missed beat is retried; the build must go on
                    log.warning("pack %s: heartbeat not written", self.pack_id, exc_info=True)

    def __enter__(self) -> Heartbeat:
        # A small stack: the build runs under a memory limit (RLIMIT_AS) that counts it.
        previous = threading.stack_size(512 * 1024)
        try:
            self.thread.start()
        finally:
            threading.stack_size(previous)
        return self

    def __exit__(self, *_exc) -> None:
        self.stopped.set()
        self.thread.join()


def claim(pack_id: int, key: str) -> bool:
    """Take a queued pack; only the worker started for it holds its key. A pack queued
    longer than a worker takes to start is already shown as failed: it is left alone."""
    now = utcnow()
    with write_intent(), db.engine.begin() as conn:
        taken = conn.execute(
            update(EvidencePack)
            .where(EvidencePack.id == pack_id, EvidencePack.status == "queued",
                   EvidencePack.job_key == key,
                   EvidencePack.created_at >= now - timedelta(seconds=SILENT_AFTER_SECONDS))
            .values(status="building", started_at=now, heartbeat_at=now,
                    worker_pid=os.getpid(), progress=2, step="collect")).rowcount
    return taken == 1


def run(pack_id: int, key: str, memory_limit_mb: int) -> None:
    """Build one pack and record how it ended."""
    if not claim(pack_id, key):
        log.warning("pack %s is not queued for this worker; nothing to do", pack_id)
        return
    pack = db.session.get(EvidencePack, pack_id)
    locale = pack.locale
    builder = {SUBTREE: subtree.build, INSPECTION: inspection.build}.get(pack.scope_kind, build)
    # The worker acts for the pack's organisation: its result and failure join that
    # organisation's audit trail, not the default one's.
    with force_locale(locale), tenancy.acting_for(pack.organisation_id), \
            Heartbeat(current_app._get_current_object(), pack_id, key):
        try:
            # The records are read: end that transaction (uow.commit, nothing was changed).
            built, copies = builder(pack, Reporter(pack_id, key), release=uow.commit)
            _store(pack_id, key, built, copies)
        except BuildError as error:
            _fail(pack_id, key, error.message)
        except MemoryError:
            _fail(pack_id, key, _("The build ran out of memory (limit %(mb)d MB). Choose a "
                             "narrower scope or a shorter period.", mb=memory_limit_mb))
        except Exception as error:  # recorded on the pack, so the user learns why
            log.exception("evidence pack %s failed", pack_id)
            _fail(pack_id, key, _("The build failed unexpectedly: %(error)s",
                             error=f"{type(error).__name__}: {str(error)[:300]}"))


def _mine(pack_id: int, key: str) -> EvidencePack | None:
    # Drop what an earlier transaction read, so the row is read again under the write lock.
    uow.rollback()
    pack = db.session.get(EvidencePack, pack_id)
    return pack if pack is not None and pack.job_key == key else None


def _store(pack_id: int, key: str, built, copies) -> None:
    blob = get_store().put(io.BytesIO(built.data), max_bytes=len(built.data) + 1)
    with uow.unit_of_work():
        pack = _mine(pack_id, key)
        if pack is None:
            return
        pack.blob_sha256, pack.size, pack.pages = blob.sha256, blob.size, built.pages
        pack.manifest_sha256 = built.manifest_sha256
        pack.status, pack.progress, pack.step = "ready", 100, "ready"
        pack.finished_at, pack.error = utcnow(), None
        known = set(db.session.execute(select(StampedCopy.source_sha256,
                                              StampedCopy.stamp_sha256)).all())
        for copy in copies:
            if (copy.source_sha256, copy.stamp_sha256) not in known:
                known.add((copy.source_sha256, copy.stamp_sha256))
                db.session.add(copy)
        db.session.flush()
        record(None, "evidence.ready", "evidence_pack", pack.id, after=pack.snapshot(),
               actor_label=WORKER_LABEL)
        signals.evidence_pack_ready.send(pack)
    # One machine-readable line per build, read by bench/evidence.py.
    log.info("evidence-timings %s", json.dumps({"pack_id": pack_id, "pages": built.pages,
                                                **built.timings}))


def _fail(pack_id: int, key: str, message: str) -> None:
    with uow.unit_of_work():
        pack = _mine(pack_id, key)
        if pack is None:
            return
        pack.status, pack.error, pack.finished_at = "failed", message, utcnow()
        pack.step = "failed"
        record(None, "evidence.failed", "evidence_pack", pack.id,
               after={"reference": pack.reference, "error": message},
               actor_label=WORKER_LABEL)


def fail_unfinished(pack_id: int, key: str, reason: str, code: int, time_limit: int,
                    memory_limit_mb: int) -> None:
    """Record the failure of a build whose process died without recording it."""
    pack = db.session.get(EvidencePack, pack_id)
    if pack is None or pack.job_key != key or pack.status not in ("queued", "building"):
        return
    with force_locale(pack.locale):
        if reason == "time":
            message = _("The build took longer than the limit of %(seconds)d seconds and was "
                        "stopped.", seconds=time_limit)
        else:
            message = _("The build process ended unexpectedly (exit code %(code)d); it may "
                        "have passed the memory limit of %(mb)d MB.", code=code,
                        mb=memory_limit_mb)
    with tenancy.acting_for(pack.organisation_id):
        _fail(pack_id, key, message)
