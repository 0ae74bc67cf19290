"""PDF output: html_to_pdf() with a fetcher that reaches nothing but what it is handed, a
time- and memory-limited child process for renders made during a web request, and stamping
of stored PDFs as controlled copies (the original is never changed)."""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes

from pypdf import PdfReader, PdfWriter, Transformation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from compliance.errors import DomainError

log = logging.getLogger(__name__)
BASE_URL = "app://render/"
# The app's own static files, reachable from a PDF template as app://static/<name>.
STATIC_PREFIX = "app://static/"
STATIC_DIR = Path(__file__).resolve().parent / "static"
# A data: URI larger than this (as written) is refused: it could only be someone's payload.
DATA_URI_LIMIT = 256 * 1024
STATIC_FILE_LIMIT = 4 * 1024 * 1024
DEFAULT_TIME_LIMIT = 60.0
DEFAULT_MEMORY_LIMIT_MB = 1024
_MIME = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".ttf": "font/ttf", ".woff2": "font/woff2"}


def _(message: str, **values) -> str:
    """Translate when a Flask app is at hand (requests), else keep the English source."""
    try:
        from flask_babel import gettext

        return gettext(message, **values)
    except (RuntimeError, KeyError):
        return message % values


class RenderLimitExceeded(DomainError):
    """The render ran past its time or memory limit and was stopped; nothing was kept."""

    status = 503


class RenderFailed(DomainError):
    """The renderer gave up on the content; nothing was kept."""

    status = 422


class AllowListFetcher(URLFetcher):
    """Serves the resources handed to it, the app's static files and small data: URIs;
    every other URL (other hosts, loopback, file://, ftp:, ...) is refused and noted.

    WeasyPrint sends every URL it wants through fetch(): <img>, <link rel=stylesheet>,
    @import, url() in any style, @font-face, @color-profile, SVG <image>, <link
    rel=attachment> and <a rel=attachment>. Nothing here ever calls urllib, so no
    redirect or protocol handler can be reached."""

    def __init__(self, resources: dict[str, tuple[bytes, str]] | None = None, *,
                 static_dir: Path | None = STATIC_DIR, data_limit: int = DATA_URI_LIMIT):
        super().__init__(allowed_protocols=("app", "data"), allow_redirects=False,
                         fail_on_errors=False)
        self.resources = dict(resources or {})
        self.static_dir = static_dir
        self.data_limit = data_limit
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        """Answer from the allow-list or refuse."""
        found = self._lookup(url)
        if found is None:
            self.refused.append(url[:500])
            raise ValueError("resource not on the allow-list")
        self.served.append(url[:500])
        data, mime_type = found
        return URLFetcherResponse(url, data, {"Content-Type": mime_type})

    def _lookup(self, url: str) -> tuple[bytes, str] | None:
        if url in self.resources:
            return self.resources[url]
        if url.startswith("data:"):
            return _decode_data_uri(url, self.data_limit)
        if url.startswith(STATIC_PREFIX) and self.static_dir is not None:
            return _static_file(self.static_dir, url[len(STATIC_PREFIX):])
        return None


def _decode_data_uri(url: str, limit: int) -> tuple[bytes, str] | None:
    """A data: URI within the size cap, decoded by hand (urllib is never involved)."""
    if len(url) > limit or "," not in url:
        return None
    header, payload = url[5:].split(",", 1)
    parts = header.split(";")
    mime_type = parts[0].strip().lower() or "text/plain"
    try:
        data = (base64.b64decode(unquote(payload), validate=False) if "base64" in parts[1:]
                else unquote_to_bytes(payload))
    except ValueError:
        return None
    return data, mime_type


def _static_file(folder: Path, name: str) -> tuple[bytes, str] | None:
    """A file of the static folder itself; '..', absolute names and links out are refused."""
    name = unquote(name.split("?", 1)[0].split("#", 1)[0])
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return None
    root = folder.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    if path.stat().st_size > STATIC_FILE_LIMIT:
        return None
    return path.read_bytes(), _MIME.get(path.suffix.lower(), "application/octet-stream")


def html_to_pdf(html: str, resources: dict[str, tuple[bytes, str]] | None = None,
                fetcher: AllowListFetcher | None = None) -> bytes:
    """Render HTML to PDF in this process (for callers that are a limited worker already);
    URLs resolve only against the allow-list."""
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
    """Render in a child process (`python -m compliance.pdf_worker`) under a time limit
    and an address-space limit; a web process is never forked. The refusals of the
    child's fetcher are logged and added to `fetcher.refused` when one is given."""
    seconds, megabytes = _limits(time_limit, memory_mb)
    payload = json.dumps({
        "html": html, "memory_mb": megabytes, "cpu_seconds": int(seconds) + 2,
        "resources": {url: [base64.b64encode(data).decode(), mime]
                      for url, (data, mime) in (resources or {}).items()},
    }).encode()
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
    try:
        done = subprocess.run([sys.executable, "-m", "compliance.pdf_worker"], input=payload,
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


@dataclass
class Stamp:
    """Text printed on every page of a controlled copy."""

    header: str
    footer: str
    watermark: str | None = None
    lines: list[str] = field(default_factory=list)


def _overlay_html(stamp: Stamp, width: float, height: float) -> str:
    watermark = (f'<div class="wm">{escape(stamp.watermark)}</div>' if stamp.watermark else "")
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: {width:.2f}pt {height:.2f}pt; margin: 0 }}
body {{ margin: 0; font-family: "DejaVu Sans", sans-serif; font-size: 7pt; color: #333 }}
.band {{ position: absolute; left: 18pt; right: 18pt; padding: 2pt 4pt; overflow: hidden;
         max-height: 30pt; overflow-wrap: anywhere;
         background: rgba(255,255,255,0.85); border: 0.5pt solid #888 }}
.top {{ top: 6pt }} .bottom {{ bottom: 6pt }}
.wm {{ position: absolute; top: 45%; left: 0; right: 0; text-align: center; font-size: 40pt;
       color: rgba(200,0,0,0.25); transform: rotate(-30deg) }}
</style></head><body>
<div class="band top">{escape(stamp.header)}</div>{watermark}
<div class="band bottom">{escape(stamp.footer)}</div></body></html>"""


def stamp_pdf(original: bytes, stamp: Stamp) -> bytes:
    """A new PDF: every page of the original with the stamp drawn over it."""
    writer = PdfWriter(clone_from=io.BytesIO(original))
    overlays: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        box = page.mediabox
        size = (round(float(box.width), 2), round(float(box.height), 2))
        if size not in overlays:
            # One small fixed page of escaped text: rendered in process, it cannot grow.
            rendered = html_to_pdf(_overlay_html(stamp, *size))
            overlays[size] = PdfReader(io.BytesIO(rendered)).pages[0]
        page.merge_transformed_page(
            overlays[size], Transformation().translate(float(box.left), float(box.bottom)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
