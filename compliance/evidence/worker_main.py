"""`python -m compliance.evidence.worker_main --build|--record-death PACK_ID`: the processes
of a build that need an app.

Its functions run in the children of the build server (`compliance.evidence.server`), the
only module that imports this one, so the web layer never reaches the app factory through
it; `python -m` runs one by hand, the job in the environment. Each builds its own app from
the whole configuration handed over in the job: `--build` runs the build inside its memory
limit, `--record-death` records why a build child died without saying so itself.
"""

from __future__ import annotations

import sys

from flask import Flask

from compliance import create_app
from compliance.evidence import progress, worker


def app_for(job: dict) -> Flask:
    """The worker's app, configured as the web app that queued the pack."""
    return create_app(job["config"])


def record_death(job: dict) -> int:
    """Record the failure of a build child that died without recording it."""
    death = job["death"]
    app = app_for(job)
    with app.app_context():
        progress.fail_unfinished(job["pack_id"], job["key"], death["reason"],
                                 int(death["code"]), job["time_limit"], job["memory_limit_mb"])
    return 0


def build_child(job: dict) -> int:
    """The build itself, inside the memory limit (set before the app is built, so the app
    and the build count against it)."""
    worker.limit_memory(job["memory_limit_mb"])
    app = app_for(job)
    with app.app_context():
        progress.run(job["pack_id"], job["key"], job["memory_limit_mb"])
    return 0


COMMANDS = {"--build": build_child, "--record-death": record_death}


def main(argv: list[str] | None = None) -> int:
    """Entry point: the build child with --build, the death record with --record-death."""
    argv = sys.argv[1:] if argv is None else argv
    job = worker.take_job()
    if not job or len(argv) != 2 or argv[0] not in COMMANDS:
        print(f"usage: {worker.ENV_VAR}=... python -m {worker.MAIN_MODULE} "
              "--build|--record-death PACK_ID (started by the supervisor)", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](job)


if __name__ == "__main__":
    sys.exit(main())
