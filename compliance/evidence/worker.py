"""The build process: `python -m compliance.evidence.worker <pack id>`, started detached.

A supervisor (this module without --build) runs the build in a child with a memory limit
(RLIMIT_AS) and a time limit, and records a failure when the child dies without saying why.
Configuration arrives in the COMPLIANCE_EVIDENCE_JOB environment variable, never in argv,
which anyone on the machine can read with ps.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import subprocess
import sys

ENV_VAR = "COMPLIANCE_EVIDENCE_JOB"
# Configuration the worker needs to reach the same database, files and organisation.
PASSED_KEYS = ("DATABASE_URL", "STORAGE_PATH", "SECRET_KEY", "ORG_NAME", "ORG_NAME_VI",
               "ORG_TIMEZONE", "DEFAULT_LOCALE", "LANGUAGES", "SQLITE_BUSY_TIMEOUT_MS",
               "LOG_LEVEL", "DOCUMENT_CODE_PATTERN", "MAX_UPLOAD_BYTES", "EVIDENCE_TIME_LIMIT",
               "EVIDENCE_MEMORY_LIMIT_MB")
log = logging.getLogger(__name__)


def job_for(app, pack_id: int, job_key: str) -> dict:
    """What the worker is told: the pack, its key, the limits and the app's configuration."""
    config = {key: app.config[key] for key in PASSED_KEYS if key in app.config}
    config["INSTANCE_PATH"] = app.instance_path
    return {"pack_id": pack_id, "key": job_key, "config": config,
            "time_limit": int(app.config["EVIDENCE_TIME_LIMIT"]),
            "memory_limit_mb": int(app.config["EVIDENCE_MEMORY_LIMIT_MB"])}


def launch(app, pack_id: int, job_key: str) -> subprocess.Popen:
    """Start the supervisor for a committed, queued pack; it outlives the request.

    Ids, not the row: reading an expired row after the commit would open a transaction, and
    a writer's transaction on SQLite would hold the lock the worker needs."""
    env = dict(os.environ)
    env[ENV_VAR] = json.dumps(job_for(app, pack_id, job_key), default=str)
    with open(os.path.join(app.instance_path, "evidence-worker.log"), "ab") as logfile:
        # Our own interpreter and module, a number as the only argument: nothing untrusted.
        return subprocess.Popen([sys.executable, "-m", "compliance.evidence.worker",  # noqa: S603
                                 str(pack_id)], env=env, stdin=subprocess.DEVNULL,
                                stdout=logfile, stderr=logfile, start_new_session=True,
                                close_fds=True)


def supervise(job: dict) -> int:
    """Run the build child under the time limit; record its death if it could not."""
    env = dict(os.environ)
    env[ENV_VAR] = json.dumps(job)
    child = subprocess.Popen([sys.executable, "-m", "compliance.evidence.worker",  # noqa: S603
                              "--build",
                              str(job["pack_id"])], env=env, stdin=subprocess.DEVNULL)
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
        _record_death(job, reason or "crash", code)
    return 0


def _record_death(job: dict, reason: str, code: int) -> None:
    from compliance import create_app
    from compliance.evidence import progress

    app = create_app(job["config"])
    with app.app_context():
        progress.fail_unfinished(job["pack_id"], job["key"], reason, code,
                                 job["time_limit"], job["memory_limit_mb"])


def build_child(job: dict) -> int:
    """The build itself, inside the memory limit."""
    limit = int(job["memory_limit_mb"]) * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY and hard < limit:
        limit = hard
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    from compliance import create_app
    from compliance.evidence import progress

    app = create_app(job["config"])
    with app.app_context():
        progress.run(job["pack_id"], job["key"], job["memory_limit_mb"])
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: supervisor by default, the build child with --build."""
    argv = sys.argv[1:] if argv is None else argv
    raw = os.environ.pop(ENV_VAR, None)
    if not raw or not argv:
        print("usage: COMPLIANCE_EVIDENCE_JOB=... python -m compliance.evidence.worker "
              "[--build] PACK_ID (started by the web app)", file=sys.stderr)
        return 2
    job = json.loads(raw)
    if argv[0] == "--build":
        return build_child(job)
    return supervise(job)


if __name__ == "__main__":
    sys.exit(main())
