"""The limited children that do PDF work for a web process: rendering HTML, stamping copies
and inspecting uploads (`python -m compliance.core.pdf.worker`).

A child caps its own address space and CPU time, then serves one job at a time over its
pipes, so WeasyPrint is imported once per child rather than once per PDF. At most
`PDF_WORKERS` children work at once per web process; a request waits at most the time limit
for one to be free, then its job gets the time limit again. A child past the time limit is
killed; one that died, ran out of memory or served `JOBS_PER_CHILD` jobs is replaced; one
idle for `IDLE_SECONDS` exits by itself. The web process is never forked. Each child leads
a process group of its own, and is killed with that group: a program it starts (LibreOffice,
core.pdf.convert) goes with it.

Job frame: one JSON line (`kind`, `size` of the bytes that follow, the job's fields), then
the bytes. Answer frame: one JSON line (`status` 0 done, 3 the content was refused, 4 out of
memory; `size`), then the bytes."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from compliance.core.pdf.limits import (
    DEFAULT_MEMORY_LIMIT_MB,
    DEFAULT_TIME_LIMIT,
    DEFAULT_WORKERS,
    RenderLimitExceeded,
    _,
    config_value,
)

log = logging.getLogger(__name__)
JOBS_PER_CHILD = 200
IDLE_SECONDS = 600
ROOT = str(Path(__file__).resolve().parents[3])


class _Gone(Exception):
    """The child closed its pipe: it died, or ran out of memory."""


class _Child:
    """One worker process and its pipes."""

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        self.jobs = 0
        self.last_used = time.monotonic()
        # Open for the child's life (closed in stop()): its warnings, read when it fails.
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (ROOT, os.environ.get("PYTHONPATH", "")) if p)}
        self.proc = subprocess.Popen(  # noqa: S603 - our own module, arguments of our own
            [sys.executable, "-m", "compliance.core.pdf.worker", str(memory_mb),
             str(IDLE_SECONDS)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, cwd=ROOT,
            env=env, start_new_session=True)
        os.set_blocking(self.proc.stdin.fileno(), False)
        os.set_blocking(self.proc.stdout.fileno(), False)

    def alive(self) -> bool:
        """Running, and not about to leave for idleness."""
        return (self.proc.poll() is None
                and time.monotonic() - self.last_used < IDLE_SECONDS - 60)

    def exchange(self, frame: bytes, deadline: float) -> tuple[dict, bytes]:
        """Send one job and read its answer; TimeoutError past the deadline."""
        stdin, stdout = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        selector = selectors.DefaultSelector()
        selector.register(stdin, selectors.EVENT_WRITE)
        selector.register(stdout, selectors.EVENT_READ)
        sent, received, head = 0, bytearray(), None
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                for key, _events in selector.select(remaining):
                    if key.fd == stdin:
                        sent += self._write(stdin, frame, sent)
                        if sent == len(frame):
                            selector.unregister(stdin)
                        continue
                    chunk = self._read(stdout)
                    received += chunk
                    if head is None and b"\n" in received:
                        line, _sep, rest = bytes(received).partition(b"\n")
                        head, received = json.loads(line), bytearray(rest)
                    if head is not None and len(received) >= head.get("size", 0):
                        return head, bytes(received[:head.get("size", 0)])
        finally:
            selector.close()

    @staticmethod
    def _write(fd: int, frame: bytes, sent: int) -> int:
        try:
            return os.write(fd, frame[sent:sent + 65536])
        except BlockingIOError:
            return 0
        except (BrokenPipeError, ConnectionResetError):
            raise _Gone from None

    @staticmethod
    def _read(fd: int) -> bytes:
        try:
            chunk = os.read(fd, 1 << 20)
        except BlockingIOError:
            return b""
        if not chunk:
            raise _Gone
        return chunk

    def stop(self) -> str:
        """Kill the child and its process group; the end of what it wrote to stderr."""
        # Only while the child is not yet reaped: until then its pid (the group's id) cannot
        # have been given to another process.
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        self.stderr.seek(0, os.SEEK_END)
        self.stderr.seek(max(0, self.stderr.tell() - 500))
        tail = self.stderr.read().decode(errors="replace")
        self.stderr.close()
        return tail


class _Pool:
    """The children of this process: idle ones, and a bound on those at work."""

    def __init__(self):
        self.lock = threading.Lock()
        self.idle: list[_Child] = []
        self.slots: threading.BoundedSemaphore | None = None
        self.pid = os.getpid()

    def _slots(self) -> threading.BoundedSemaphore:
        with self.lock:
            if self.pid != os.getpid():  # a forked copy: the children are the parent's
                self.idle, self.slots, self.pid = [], None, os.getpid()
            if self.slots is None:
                workers = int(config_value("PDF_WORKERS", DEFAULT_WORKERS))
                self.slots = threading.BoundedSemaphore(max(1, workers))
            return self.slots

    def _take(self, memory_mb: int) -> _Child:
        """An idle child with this memory limit, else a new one; the dead and the stale go."""
        with self.lock:
            for child in list(self.idle):
                if not child.alive():
                    self.idle.remove(child)
                    child.stop()
                elif child.memory_mb == memory_mb:
                    self.idle.remove(child)
                    return child
        return _Child(memory_mb)

    def _give_back(self, child: _Child) -> None:
        child.jobs += 1
        child.last_used = time.monotonic()
        if child.jobs >= JOBS_PER_CHILD:
            child.stop()
            return
        with self.lock:
            self.idle.append(child)

    def run(self, job: dict, payload: bytes, seconds: float, memory_mb: int):
        """One job on a free child: (answer head, answer bytes)."""
        slots = self._slots()
        if not slots.acquire(timeout=seconds):
            raise RenderLimitExceeded(_(
                "The server is busy producing other PDFs. Try again in a minute."), busy=True)
        try:
            child = self._take(memory_mb)
            frame = json.dumps({**job, "size": len(payload),
                                "cpu_seconds": int(seconds) + 2}).encode() + b"\n" + payload
            try:
                head, body = child.exchange(frame, time.monotonic() + seconds)
            except TimeoutError:
                child.stop()
                log.warning("PDF %s job stopped after %.1f s", job.get("kind"), seconds)
                raise RenderLimitExceeded(_(
                    "Producing this PDF took longer than the limit of %(seconds)s seconds, "
                    "so it was stopped. Nothing was saved. Try a shorter period, or ask the "
                    "administrator to raise the limit.", seconds=f"{seconds:g}")) from None
            except _Gone:
                tail = child.stop()
                log.warning("PDF worker ended with %s: %s", child.proc.returncode, tail)
                raise _out_of_memory(memory_mb) from None
            if head.get("status") == 4:
                child.stop()
                raise _out_of_memory(memory_mb)
            self._give_back(child)
            return head, body
        finally:
            slots.release()


def _out_of_memory(megabytes: int) -> RenderLimitExceeded:
    return RenderLimitExceeded(_(
        "Producing this PDF needed more than the memory limit of %(megabytes)s MB, so it "
        "was stopped. Nothing was saved.", megabytes=megabytes), limit="memory")


POOL = _Pool()
# Set (to compliance.core.pdf.worker.handle) in a process that is itself a limited child, an
# evidence build forked by compliance.evidence.server: its PDF jobs run in it, under its own
# limits, instead of in children of its own.
RUN_HERE: Callable[[dict, bytes], tuple[dict, bytes]] | None = None


def limits(time_limit: float | None = None, memory_mb: int | None = None) -> tuple[float, int]:
    """The limits given, else the app's configuration, else the defaults."""
    return (float(time_limit or config_value("PDF_TIME_LIMIT", DEFAULT_TIME_LIMIT)),
            int(memory_mb or config_value("PDF_MEMORY_LIMIT_MB", DEFAULT_MEMORY_LIMIT_MB)))


def run(job: dict, payload: bytes = b"", *, time_limit: float | None = None,
        memory_mb: int | None = None) -> tuple[dict, bytes]:
    """Do one job in a limited child: (answer head, answer bytes). RenderLimitExceeded when
    it ran out of time or memory or no child became free; status 3 when it refused."""
    if RUN_HERE is not None:
        return RUN_HERE(job, payload)
    seconds, megabytes = limits(time_limit, memory_mb)
    return POOL.run(job, payload, seconds, megabytes)
