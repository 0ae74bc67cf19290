"""Starting and supervising a pack's build process; no app is built here.

The web app calls `launch()`: it starts `python -m compliance.evidence.worker <pack id>`
detached. That process, the supervisor (`supervise()`, light: it imports no app), runs the
build in a child (`python -m compliance.evidence.worker_main --build`) with a memory limit
(RLIMIT_AS) and a time limit; when the child dies without saying why, it runs
`worker_main --record-death` to record the failure. The app factory is imported only by
`worker_main`, which nothing imports, so the web layer never reaches it.

The job (pack, key, limits and the app's whole configuration) arrives in the
COMPLIANCE_EVIDENCE_JOB environment variable, never in argv, which anyone on the machine can
read with ps.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import subprocess
import sys
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

ENV_VAR = "COMPLIANCE_EVIDENCE_JOB"
SUPERVISOR_MODULE = "compliance.evidence.worker"
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


def launch(app: Flask, pack_id: int, job_key: str) -> subprocess.Popen:
    """Start the supervisor for a committed, queued pack; it outlives the request.

    Ids, not the row: reading an expired row after the commit would open a transaction, and
    a writer's transaction on SQLite would hold the lock the worker needs."""
    env = environment_with(job_for(app, pack_id, job_key))
    with open(os.path.join(app.instance_path, "evidence-worker.log"), "ab") as logfile:
        # Our own interpreter and module, a number as the only argument: nothing untrusted.
        return subprocess.Popen([sys.executable, "-m", SUPERVISOR_MODULE,  # noqa: S603
                                 str(pack_id)], env=env, stdin=subprocess.DEVNULL, stdout=logfile,
                                stderr=logfile, start_new_session=True, close_fds=True)


def _run_main(job: dict, flag: str) -> subprocess.Popen:
    # Our own interpreter and module, a flag and a number as arguments: nothing untrusted.
    return subprocess.Popen([sys.executable, "-m", MAIN_MODULE, flag,  # noqa: S603
                             str(job["pack_id"])], env=environment_with(job),
                            stdin=subprocess.DEVNULL)


def supervise(job: dict) -> int:
    """Run the build child under the time limit; have its death recorded if it could not."""
    child = _run_main(job, "--build")
    reason = None
    try:
        code = child.wait(timeout=job["time_limit"])
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        code, reason = -9, "time"
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"evidence pack {job['pack_id']}: exit {code}, peak memory {peak_mb:.0f} MB",
          flush=True)
    if code != 0:
        _run_main(job | {"death": {"reason": reason or "crash", "code": code}},
                  "--record-death").wait()
    return 0


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (never above a hard limit already set)."""
    limit = int(megabytes) * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY and hard < limit:
        limit = hard
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the supervisor process."""
    argv = sys.argv[1:] if argv is None else argv
    job = take_job()
    if not job or not argv:
        print(f"usage: {ENV_VAR}=... python -m {SUPERVISOR_MODULE} PACK_ID "
              "(started by the web app)", file=sys.stderr)
        return 2
    return supervise(job)


if __name__ == "__main__":
    sys.exit(main())
