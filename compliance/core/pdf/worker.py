"""The child of core.pdf.render.render_limited: HTML and resources (JSON) on stdin, one JSON line
and the PDF on stdout. It limits its own address space and CPU time before rendering.

Exit codes: 0 rendered, 3 the renderer refused the content, 4 out of memory."""

from __future__ import annotations

import base64
import json
import resource
import sys


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    """Cap this process, so a hostile document cannot take the machine with it."""
    size = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
    # The parent's wall-clock timeout is the real limit; this one holds if the parent dies.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def main() -> int:
    """Read the job, render it, write the answer."""
    job = json.loads(sys.stdin.buffer.read())
    _limit(int(job["memory_mb"]), int(job["cpu_seconds"]))
    # WeasyPrint is imported only now, so its own memory counts against the limit.
    from compliance.core.pdf.fetcher import AllowListFetcher
    from compliance.core.pdf.limits import RenderFailed
    from compliance.core.pdf.render import html_to_pdf

    resources = {url: (base64.b64decode(data), mime)
                 for url, (data, mime) in job.get("resources", {}).items()}
    fetcher = AllowListFetcher(resources)
    try:
        pdf = html_to_pdf(job["html"], fetcher=fetcher)
    except MemoryError:
        sys.stderr.write("out of memory\n")
        return 4
    except RenderFailed as error:
        sys.stderr.write(f"render failed: {error.__cause__!r}\n")
        return 3
    head = json.dumps({"refused": fetcher.refused, "served": fetcher.served}).encode()
    sys.stdout.buffer.write(head + b"\n" + pdf)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
