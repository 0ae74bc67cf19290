"""html_to_pdf() with the allow-list fetcher, and render_limited(): the same render in a
time- and memory-limited child process (core.pdf.pool), for renders made during a web
request."""

from __future__ import annotations

import base64
import logging
from typing import TYPE_CHECKING

from compliance.core.pdf import pool
from compliance.core.pdf.limits import BASE_URL, RenderFailed, _

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


def render_limited(html: str, resources: dict[str, tuple[bytes, str]] | None = None, *,
                   fetcher: AllowListFetcher | None = None, time_limit: float | None = None,
                   memory_mb: int | None = None) -> bytes:
    """Render in a limited child under a time limit and an address-space limit; a web
    process is never forked. The refusals of the child's fetcher are logged and added to
    `fetcher.refused` when one is given."""
    job = {"kind": "html", "html": html,
           "resources": {url: [base64.b64encode(data).decode(), mime]
                         for url, (data, mime) in (resources or {}).items()}}
    head, pdf = pool.run(job, time_limit=time_limit, memory_mb=memory_mb)
    if head.get("status") != 0:
        raise RenderFailed(_("The PDF could not be produced from this content."))
    refused = head.get("refused", [])
    for url in refused:
        log.warning("PDF render refused to fetch %s", url)
    if fetcher is not None:
        fetcher.refused.extend(refused)
    return pdf
