"""`python -m compliance.evidence.server MAX_BUILDS`: the process that builds a web process's
evidence packs, each in a child forked from it.

The server imports the app factory, WeasyPrint and the builder once, before any job, and
builds no app itself: it holds no database connection, no thread, no open file of a job's.
A build is a child forked from it: it sets its memory limit (RLIMIT_AS), builds the app from
the whole configuration handed over in the job, builds the pack and exits. Forking skips the
2–3 s of CPU that importing the app and WeasyPrint cost a fresh interpreter, on every pack.

Jobs arrive on stdin, one JSON line each (the job of `evidence.worker.job_for`). At most
MAX_BUILDS children build at once; the others wait in order. A child past its job's time
limit is killed; one that ended with an exit code other than 0 without recording why (killed,
out of memory) gets a second child that records the failure on the pack, without a memory
limit. When stdin closes (the web process ended), the server finishes what it was given, then
exits. Each child writes to its job's `evidence-worker.log` in the instance folder, and the
server adds one line per build: its exit code and peak memory.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import selectors
import signal
import sys
import time
import traceback
from collections import deque
from dataclasses import dataclass

# Preloaded before any job, so that every child inherits them (see the module's docstring).
from compliance.core.pdf import pool
from compliance.core.pdf import worker as pdf_worker
from compliance.evidence import worker_main

POLL_SECONDS = 0.2


@dataclass
class Build:
    """A running child: its job, what it does (build or record a death) and its deadline."""

    job: dict
    kind: str
    deadline: float | None


def _log_path(job: dict) -> str:
    return os.path.join(job["config"]["INSTANCE_PATH"], "evidence-worker.log")


def _child(job: dict, kind: str) -> None:
    """In the forked child: run the build (or the death record) and leave, never return."""
    code = 1
    try:
        os.setsid()  # killed with what it starts, apart from the server
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        try:
            log = os.open(_log_path(job), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError:
            log = os.open(os.devnull, os.O_WRONLY)
        os.dup2(log, 1)
        os.dup2(log, 2)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if kind == "build":
            # Itself limited, the build renders its PDFs here rather than in children.
            pool.RUN_HERE = pdf_worker.handle
            code = worker_main.build_child(job)
        else:
            code = worker_main.record_death(job)
    except MemoryError:
        code = 3
    except BaseException:  # noqa: BLE001 - the child's last word, then its exit code
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class Server:
    """The queue, the running children and the loop that serves them."""

    def __init__(self, max_builds: int):
        self.max_builds = max(1, max_builds)
        self.waiting: deque[dict] = deque()
        self.running: dict[int, Build] = {}
        self.buffer = b""
        self.open = True

    def start(self, job: dict, kind: str = "build") -> None:
        """Fork a child for the job."""
        deadline = time.monotonic() + job["time_limit"] if kind == "build" else None
        pid = os.fork()
        if pid == 0:
            _child(job, kind)
        self.running[pid] = Build(job, kind, deadline)

    def read(self, fd: int) -> None:
        """Take what arrived on stdin; a closed stdin means no more jobs."""
        chunk = os.read(fd, 65536)
        if not chunk:
            self.open = False
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        self.waiting.extend(json.loads(line) for line in lines if line.strip())

    def reap(self) -> None:
        """Note the children that ended; have a silent death recorded."""
        while self.running:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
            if pid == 0:
                return
            build = self.running.pop(pid, None)
            if build is not None:
                self.ended(build, os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024)

    def ended(self, build: Build, code: int, peak_mb: float, reason: str | None = None) -> None:
        """Log a child's end; a build that failed without saying why gets its death recorded."""
        if build.kind != "build":
            return
        job = build.job
        # The instance folder may be gone (an app removed since); the server goes on.
        with contextlib.suppress(OSError), open(_log_path(job), "a", encoding="utf-8") as log:
            log.write(f"evidence pack {job['pack_id']}: exit {code}, peak memory "
                      f"{peak_mb:.0f} MB\n")
        if code != 0:
            self.start(job | {"death": {"reason": reason or "crash", "code": code}}, "death")

    def overdue(self) -> None:
        """Kill the builds past their time limit."""
        now = time.monotonic()
        for pid, build in list(self.running.items()):
            if build.deadline is not None and now > build.deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                _pid, _status, usage = os.wait4(pid, 0)
                del self.running[pid]
                self.ended(build, -9, usage.ru_maxrss / 1024, reason="time")

    def builds(self) -> int:
        """How many children are building now."""
        return sum(1 for build in self.running.values() if build.kind == "build")

    def serve(self, fd: int) -> None:
        """Until stdin closes and every job is done."""
        selector = selectors.DefaultSelector()
        selector.register(fd, selectors.EVENT_READ)
        while self.open or self.waiting or self.running:
            while self.waiting and self.builds() < self.max_builds:
                self.start(self.waiting.popleft())
            timeout = POLL_SECONDS if self.running else None
            if self.open and selector.select(timeout):
                self.read(fd)
            elif not self.open:
                time.sleep(POLL_SECONDS)
            self.reap()
            self.overdue()


def main(argv: list[str] | None = None) -> int:
    """Entry point: serve jobs from stdin with at most MAX_BUILDS builds at once."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python -m compliance.evidence.server MAX_BUILDS (started by the web app)",
              file=sys.stderr)
        return 2
    import weasyprint  # noqa: F401 - preloaded for the children, as the modules above

    # What is alive now lives as long as the server: out of the collector's reach, and
    # shared with each child until one of them writes to it.
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    Server(int(argv[0])).serve(sys.stdin.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
