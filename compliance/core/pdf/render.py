"""html_to_pdf() with the allow-list fetcher, and render_limited(): the same render in a
time- and memory-limited child process, for renders made during a web request."""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from compliance.core.pdf.limits import (
    BASE_URL,
    DEFAULT_MEMORY_LIMIT_MB,
    DEFAULT_TIME_LIMIT,
    RenderFailed,
    RenderLimitExceeded,
    _,
)

if TYPE_CHECKING:
    from compliance.core.pdf.fetcher import AllowListFetcher

log = logging.getLogger(__name__)


def html_to_pdf(html: str, resources: dict[str, tuple[bytes, str]] | None = None,
                fetcher: AllowListFetcher | None = None) -> bytes:
    """Render HTML to PDF in this process (for callers that are a limited worker already);
    URLs resolve only against the allow-list."""
    # WeasyPrint takes about 3 s to import: only a render pays for it.
    from weasyprint import HTML

    from compliance.core.pdf.fetcher import AllowListFetcher

    fetcher = fetcher or AllowListFetcher(resources)
    try:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    except MemoryError:
        raise
    except Exception as error:  # WeasyPrint's own errors are many and undocumented.
        log.warning("PDF render failed: %s: %s", type(error).__name__, error)
        raise RenderFailed(_("The PDF could not be produced from this content.")) \
            from error


def _limits(time_limit: float | None, memory_mb: int | None) -> tuple[float, int]:
    """The limits given, else the app's configuration, else the defaults."""
    from flask import current_app, has_app_context

    config = current_app.config if has_app_context() else {}
    return (float(time_limit or config.get("PDF_TIME_LIMIT") or DEFAULT_TIME_LIMIT),
            int(memory_mb or config.get("PDF_MEMORY_LIMIT_MB") or DEFAULT_MEMORY_LIMIT_MB))


def render_limited(html: str, resources: dict[str, tuple[bytes, str]] | None = None, *,
                   fetcher: AllowListFetcher | None = None, time_limit: float | None = None,
                   memory_mb: int | None = None) -> bytes:
    """Render in a child process (`python -m compliance.core.pdf.worker`) under a time limit
    and an address-space limit; a web process is never forked. The refusals of the
    child's fetcher are logged and added to `fetcher.refused` when one is given."""
    seconds, megabytes = _limits(time_limit, memory_mb)
    payload = json.dumps({
        "html": html, "memory_mb": megabytes, "cpu_seconds": int(seconds) + 2,
        "resources": {url: [base64.b64encode(data).decode(), mime]
                      for url, (data, mime) in (resources or {}).items()},
    }).encode()
    root = str(Path(__file__).resolve().parents[3])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
    try:
        done = subprocess.run([sys.executable, "-m", "compliance.core.pdf.worker"], input=payload,
                              capture_output=True, timeout=seconds, cwd=root, env=env,
                              check=False)
    except subprocess.TimeoutExpired:
        log.warning("PDF render stopped after %.1f s", seconds)
        raise RenderLimitExceeded(_(
            "Producing this PDF took longer than the limit of %(seconds)s seconds, so it "
            "was stopped. Nothing was saved. Try a shorter period, or ask the administrator "
            "to raise the limit.", seconds=f"{seconds:g}")) from None
    return _read_answer(done, megabytes, fetcher)


def _read_answer(done: subprocess.CompletedProcess, megabytes: int,
                 fetcher: AllowListFetcher | None) -> bytes:
    """The PDF from the worker's answer: one JSON line, then the PDF's bytes."""
    if done.returncode == 3:
        raise RenderFailed(_("The PDF could not be produced from this content."))
    if done.returncode != 0 or b"\n" not in done.stdout:
        log.warning("PDF worker ended with %s: %s", done.returncode,
                    done.stderr.decode(errors="replace")[-500:])
        raise RenderLimitExceeded(_(
            "Producing this PDF needed more than the memory limit of %(megabytes)s MB, so "
            "it was stopped. Nothing was saved.", megabytes=megabytes))
    head, pdf = done.stdout.split(b"\n", 1)
    refused = json.loads(head).get("refused", [])
    for url in refused:
        log.warning("PDF render refused to fetch %s", url)
    if fetcher is not None:
        fetcher.refused.extend(refused)
    return pdf


