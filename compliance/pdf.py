"""PDF output: html_to_pdf() with a fetcher that reaches nothing but what it is handed,
and stamping of stored PDFs as controlled copies (the original is never changed)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from html import escape

from pypdf import PdfReader, PdfWriter, Transformation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)
BASE_URL = "app://render/"


class AllowListFetcher(URLFetcher):
    """Serves only the resources given to it by URL; every other URL is refused and noted."""

    def __init__(self, resources: dict[str, tuple[bytes, str]] | None = None):
        super().__init__(allowed_protocols=("app",), allow_redirects=False,
                         fail_on_errors=False)
        self.resources = dict(resources or {})
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        """Answer from the allow-list or refuse."""
        if url in self.resources:
            data, mime_type = self.resources[url]
            return URLFetcherResponse(url, data, {"Content-Type": mime_type})
        self.refused.append(url)
        raise ValueError("resource not on the allow-list")


def html_to_pdf(html: str, resources: dict[str, tuple[bytes, str]] | None = None,
                fetcher: AllowListFetcher | None = None) -> bytes:
    """Render HTML to PDF; relative and absolute URLs resolve only against the allow-list."""
    fetcher = fetcher or AllowListFetcher(resources)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


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
.band {{ position: absolute; left: 18pt; right: 18pt; padding: 2pt 4pt;
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
            rendered = html_to_pdf(_overlay_html(stamp, *size))
            overlays[size] = PdfReader(io.BytesIO(rendered)).pages[0]
        page.merge_transformed_page(
            overlays[size], Transformation().translate(float(box.left), float(box.bottom)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
