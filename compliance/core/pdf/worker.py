"""The child of core.pdf.pool: it limits its own address space and CPU time, then serves jobs
framed on stdin (one JSON line, then the bytes) with answers framed on stdout, one at a time,
until its parent closes the pipe or it has waited `idle` seconds for work.

Jobs: `html` (render HTML with the allow-list fetcher), `stamp` (a controlled copy: active
content removed, the stamp drawn on every page), `inspect` (pages, page sizes and active
content of an upload), `text` (the lines of a PDF's or DOCX's text, to compare revisions).
Answer status: 0 done, 3 the content was refused, 4 out of memory."""

from __future__ import annotations

import base64
import json
import os
import resource
import select
import sys

from compliance.core.pdf.convert import office_to_pdf
from compliance.core.pdf.inspect import facts
from compliance.core.pdf.limits import RenderFailed
from compliance.core.pdf.render import html_to_pdf
from compliance.core.pdf.stamp import Stamp, stamp_pdf
from compliance.core.pdf.text import lines_of

# The CPU time one child may use over its whole life; each job also gets a budget of its own.
LIFETIME_CPU_SECONDS = 3600


def _limit(memory_mb: int) -> None:
    """Cap this process, so a hostile document cannot take the machine with it, and let the
    web process go first when both want the processor (a sign-in never waits on a PDF)."""
    os.nice(10)
    size = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
    resource.setrlimit(resource.RLIMIT_CPU, (LIFETIME_CPU_SECONDS, LIFETIME_CPU_SECONDS + 1))


def _budget(cpu_seconds: int) -> None:
    """The parent's wall-clock timeout is the real limit; this one holds if the parent dies."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    soft = min(used + cpu_seconds, LIFETIME_CPU_SECONDS)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, LIFETIME_CPU_SECONDS + 1))


class _Unwell(Exception):
    """The child cannot load what the job needs (within its limits): it answers as out of
    memory and leaves, since a half-imported library is no state to serve from."""


def _load_renderer():
    """WeasyPrint, imported only now, so its own memory counts against the limit."""
    try:
        from compliance.core.pdf.fetcher import AllowListFetcher
    except MemoryError:
        raise
    except Exception as error:  # e.g. OSError: a shared library could not be mapped
        raise _Unwell(repr(error)) from error
    return AllowListFetcher


def _render(job: dict, _payload: bytes) -> tuple[dict, bytes]:
    fetcher_class = _load_renderer()
    resources = {url: (base64.b64decode(data), mime)
                 for url, (data, mime) in job.get("resources", {}).items()}
    fetcher = fetcher_class(resources)
    try:
        pdf = html_to_pdf(job["html"], fetcher=fetcher)
    except RenderFailed as error:
        return {"status": 3, "error": repr(error.__cause__)[:300]}, b""
    return {"status": 0, "refused": fetcher.refused, "served": fetcher.served}, pdf


def _stamp(job: dict, payload: bytes) -> tuple[dict, bytes]:
    _load_renderer()  # the overlay is rendered with it
    stamp = Stamp(**job["stamp"])
    return {"status": 0}, stamp_pdf(payload, stamp, max_sizes=int(job["max_sizes"]))


def _inspect(job: dict, payload: bytes) -> tuple[dict, bytes]:
    return {"status": 0, **facts(payload, max_pages=int(job["max_pages"]),
                                 max_sizes=int(job["max_sizes"]))}, b""


def _text(job: dict, payload: bytes) -> tuple[dict, bytes]:
    lines, cut = lines_of(job["file_kind"], payload, int(job["max_chars"]))
    return {"status": 0, "cut": cut}, "\n".join(lines).encode("utf-8")


def _office(job: dict, payload: bytes) -> tuple[dict, bytes]:
    pdf = office_to_pdf(job["file_kind"], payload, job["binary"], job["work"],
                        float(job["seconds"]))
    return {"status": 0}, pdf


JOBS = {"html": _render, "stamp": _stamp, "inspect": _inspect, "text": _text,
        "office": _office}


def handle(job: dict, payload: bytes) -> tuple[dict, bytes]:
    """Do one job; a file the libraries cannot read is refused (status 3), never a crash."""
    try:
        return JOBS[job["kind"]](job, payload)
    except (MemoryError, _Unwell):
        raise
    except Exception as error:  # pikepdf's and WeasyPrint's errors are many
        sys.stderr.write(f"{job.get('kind')} job refused: {error!r}\n"[:1000])
        return {"status": 3, "error": repr(error)[:300]}, b""


def serve(idle: int) -> int:
    """Answer jobs until the parent leaves or none comes for `idle` seconds."""
    stdin = sys.stdin.buffer
    # Answers go to a private copy of stdout; anything a library prints goes to stderr.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    while True:
        ready, _w, _x = select.select([stdin], [], [], idle)
        line = stdin.readline() if ready else b""
        if not line:
            return 0
        job = json.loads(line)
        payload = stdin.read(int(job.get("size", 0)))
        _budget(int(job.get("cpu_seconds", 60)))
        try:
            head, body = handle(job, payload)
        except (MemoryError, _Unwell) as error:
            sys.stderr.write(f"out of memory: {error!r}\n"[:1000])
            head, body = {"status": 4}, b""
        head["size"] = len(body)
        answers.write(json.dumps(head).encode() + b"\n" + body)
        answers.flush()
        if head["status"] == 4:
            return 4


def main(argv: list[str]) -> int:
    """Limit this process, then serve."""
    memory_mb, idle = int(argv[1]), int(argv[2])
    _limit(memory_mb)
    return serve(idle)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
