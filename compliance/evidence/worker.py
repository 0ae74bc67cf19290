"""Handing a pack's build to this process's build server; no app is built here.

The web app calls `launch()` after the pack's row is committed: the job (pack, key, limits
and the app's whole configuration) goes as one JSON line to `python -m
compliance.evidence.server`, started on first use and kept for the process's life. The
server forks each build from a process that has imported the app once
(compliance/evidence/server.py: limits, deaths, the log). The app factory is imported only
by the server and `worker_main`, which nothing imports, so the web layer never reaches it.

The job travels on a pipe, never in argv, which anyone on the machine can read with ps;
`worker_main` run by hand reads it from the COMPLIANCE_EVIDENCE_JOB environment variable.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import subprocess
import sys
import threading
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

ENV_VAR = "COMPLIANCE_EVIDENCE_JOB"
SERVER_MODULE = "compliance.evidence.server"
MAIN_MODULE = "compliance.evidence.worker_main"
log = logging.getLogger(__name__)


def _portable(value: Any) -> tuple[bool, Any]:
    """(True, value as JSON keeps it) or (False, None) for what JSON cannot carry."""
    if isinstance(value, PurePath):
        return True, str(value)
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False, None
    return True, value


def portable_config(app: Flask) -> dict[str, Any]:
    """The app's whole configuration as JSON can carry it to the worker.

    Every JSON-serialisable value passes as is (paths as strings), so a setting added later
    (a storage URL, say) reaches the worker without anyone listing it here. A value JSON
    cannot carry (a timedelta, a class) is left out: the worker's own factory rebuilds
    Flask's defaults and the settings derived from the others (PERMANENT_SESSION_LIFETIME
    from SESSION_LIFETIME_HOURS ...); any other key left out is logged as a warning."""
    config, dropped = {}, []
    for key, value in app.config.items():
        ok, portable = _portable(value)
        if ok:
            config[key] = portable
        elif key not in app.default_config:
            dropped.append(key)
    if dropped:
        log.warning("evidence worker: settings not passed (not JSON-serialisable): %s",
                    ", ".join(sorted(dropped)))
    config["INSTANCE_PATH"] = app.instance_path
    return config


def job_for(app: Flask, pack_id: int, job_key: str) -> dict:
    """What the worker is told: the pack, its key, the limits and the app's configuration."""
    return {"pack_id": pack_id, "key": job_key, "config": portable_config(app),
            "time_limit": int(app.config["EVIDENCE_TIME_LIMIT"]),
            "memory_limit_mb": int(app.config["EVIDENCE_MEMORY_LIMIT_MB"])}


def environment_with(job: dict) -> dict[str, str]:
    """This process's environment plus the job, for a child."""
    env = dict(os.environ)
    env[ENV_VAR] = json.dumps(job)
    return env


def take_job() -> dict | None:
    """The job this process was started with, removed from the environment (so that any
    process it starts in turn does not inherit it unasked)."""
    raw = os.environ.pop(ENV_VAR, None)
    return json.loads(raw) if raw else None


class _Server:
    """This process's build server (compliance.evidence.server), started on first use."""

    def __init__(self):
        self.lock = threading.Lock()
        self.proc: subprocess.Popen | None = None
        self.pid = os.getpid()

    def submit(self, app: Flask, line: bytes) -> None:
        """Hand one job line to the server, starting it (again) if it is not running."""
        with self.lock:
            if self.pid != os.getpid():  # a forked copy: the server is the parent's
                self.proc, self.pid = None, os.getpid()
            for attempt in (1, 2):
                if self.proc is None or self.proc.poll() is not None:
                    self.proc = self._start(app)
                try:
                    self.proc.stdin.write(line)
                    self.proc.stdin.flush()
                    return
                except (BrokenPipeError, ValueError):
                    self.proc = None
                    if attempt == 2:
                        raise OSError("the evidence build server is not accepting jobs") \
                            from None

    @staticmethod
    def _start(app: Flask) -> subprocess.Popen:
        workers = str(max(1, int(app.config.get("EVIDENCE_WORKERS", 2))))
        env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
        with open(os.path.join(app.instance_path, "evidence-worker.log"), "ab") as logfile:
            # Our own interpreter and module, a number as the only argument: nothing untrusted.
            return subprocess.Popen([sys.executable, "-m", SERVER_MODULE, workers],  # noqa: S603
                                    env=env, stdin=subprocess.PIPE, stdout=logfile,
                                    stderr=logfile, start_new_session=True, close_fds=True)


SERVER = _Server()


def launch(app: Flask, pack_id: int, job_key: str) -> None:
    """Queue the build of a committed pack with this process's build server; the build
    outlives the request (and the web process: the server finishes what it was given).

    Ids, not the row: reading an expired row after the commit would open a transaction, and
    a writer's transaction on SQLite would hold the lock the worker needs."""
    SERVER.submit(app, json.dumps(job_for(app, pack_id, job_key)).encode() + b"\n")


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (never above a hard limit already set)."""
    limit = int(megabytes) * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY and hard < limit:
        limit = hard
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
