"""Stamping stored PDFs as controlled copies: the original is never changed."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html import escape

from pypdf import PdfReader, PdfWriter, Transformation

from compliance.core.pdf.render import html_to_pdf


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
