"""Stamping stored PDFs as controlled copies: the original is never changed.

A copy is the original with its active content removed (`sanitise`) and the stamp drawn over
every page. The stamp is rendered once per copy as one small PDF holding one overlay page per
distinct page size (at most `max_sizes`; a page of any other size gets the nearest overlay,
scaled), and each overlay is placed on its pages as a shared form XObject. Rendered overlays
are kept for the life of the process (the render child), so the same stamp on the same sizes
is not rendered twice. In a request, `stamp_limited` does all of it in a limited child."""

from __future__ import annotations

import hashlib
import io
import json
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from html import escape
from typing import TYPE_CHECKING

from compliance.core.pdf import pool
from compliance.core.pdf.inspect import display_size, limits
from compliance.core.pdf.limits import DEFAULT_MAX_PAGE_SIZES, RenderFailed, _
from compliance.core.pdf.render import html_to_pdf

if TYPE_CHECKING:
    import pikepdf

# Part of every stamp's key: a change to what copies are (2: active content removed, overlays
# as form XObjects) makes caches of copies made before it miss.
COPY_FORMAT = 2
OVERLAY_CACHE_SIZE = 32
# Page attributes a page may inherit from the page tree; set on the page before it changes.
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
_overlays: OrderedDict[str, bytes] = OrderedDict()


@dataclass
class Stamp:
    """Text printed on every page of a controlled copy."""

    header: str
    footer: str
    watermark: str | None = None
    lines: list[str] = field(default_factory=list)

    def key(self) -> str:
        """What identifies the copies made with this stamp, for caches of stamped copies."""
        text = json.dumps([self.header, self.footer, self.watermark, self.lines, COPY_FORMAT],
                          ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sheet(stamp: Stamp, number: int, width: float, height: float) -> str:
    watermark = (f'<div class="wm">{escape(stamp.watermark)}</div>' if stamp.watermark else "")
    # A point short of the page, so that rounding never spills a sheet onto a second page.
    return (f'<section style="page: s{number}; width: {width:.2f}pt; '
            f'height: {height - 1:.2f}pt">'
            f'<div class="band top">{escape(stamp.header)}</div>{watermark}'
            f'<div class="band bottom">{escape(stamp.footer)}</div></section>')


def _overlay_html(stamp: Stamp, sizes: list[tuple[float, float]]) -> str:
    """One page per size, each a named page of exactly that size."""
    sizes = [(min(max(w, 72.0), 14400.0), min(max(h, 72.0), 14400.0)) for w, h in sizes]
    pages = "\n".join(f"@page s{n} {{ size: {w:.2f}pt {h:.2f}pt; margin: 0 }}"
                      for n, (w, h) in enumerate(sizes))
    sheets = "".join(_sheet(stamp, n, w, h) for n, (w, h) in enumerate(sizes))
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
{pages}
body {{ margin: 0; font-family: "DejaVu Sans", sans-serif; font-size: 7pt; color: #333 }}
section {{ position: relative; overflow: hidden; break-after: page }}
section:last-child {{ break-after: auto }}
.band {{ position: absolute; left: 18pt; right: 18pt; padding: 2pt 4pt; overflow: hidden;
         max-height: 30pt; overflow-wrap: anywhere;
         background: rgba(255,255,255,0.85); border: 0.5pt solid #888 }}
.top {{ top: 6pt }} .bottom {{ bottom: 6pt }}
.wm {{ position: absolute; top: 45%; left: 0; right: 0; text-align: center; font-size: 40pt;
       color: rgba(200,0,0,0.25); transform: rotate(-30deg) }}
</style></head><body>{sheets}</body></html>"""


def _overlay(stamp: Stamp, sizes: list[tuple[float, float]]) -> bytes:
    """The overlay PDF of these sizes, rendered once (one escaped fixed text, it cannot grow)."""
    html = _overlay_html(stamp, sizes)
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    if key in _overlays:
        _overlays.move_to_end(key)
        return _overlays[key]
    data = html_to_pdf(html)
    _overlays[key] = data
    while len(_overlays) > OVERLAY_CACHE_SIZE:
        _overlays.popitem(last=False)
    return data


def _nearest(sizes: list[tuple[float, float]], size: tuple[float, float]) -> int:
    return min(range(len(sizes)),
               key=lambda n: abs(sizes[n][0] - size[0]) + abs(sizes[n][1] - size[1]))


def _inherited(page: pikepdf.Page, key: str):
    node, depth = page.obj, 0
    while node is not None and depth < 64:
        if key in node:
            return node[key]
        node, depth = node.get("/Parent"), depth + 1
    return None


def _place(page: pikepdf.Page, form, number: int) -> None:
    """Draw the form over the page's visible box, upright whatever the page's rotation."""
    import pikepdf
    from pikepdf import Name

    for key in _INHERITED:
        if key not in page.obj and (value := _inherited(page, key)) is not None:
            page.obj[key] = value
    left, bottom, right, top = (float(v) for v in page.cropbox)
    box = pikepdf.Rectangle(min(left, right), min(bottom, top), max(left, right),
                            max(bottom, top))
    name = page.add_resource(form, Name.XObject, Name(f"/ComplianceStamp{number}"))
    placement = page.calc_form_xobject_placement(form, name, box, invert_transformations=True,
                                                 allow_shrink=True, allow_expand=True)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n" + placement)


def stamp_pdf(original: bytes, stamp: Stamp, *,
              max_sizes: int = DEFAULT_MAX_PAGE_SIZES) -> bytes:
    """A new PDF: the original without its active content, the stamp over every page."""
    # Here, not at the top: pikepdf is wanted only where copies are made (the limited child,
    # the evidence builder), and the web app and the command line import this module.
    import pikepdf

    from compliance.core.pdf.sanitise import remove_active

    with pikepdf.open(io.BytesIO(original)) as pdf:
        remove_active(pdf)
        sizes: list[tuple[float, float]] = []
        for page in pdf.pages:
            if (size := display_size(page)) not in sizes:
                sizes.append(size)
                if len(sizes) == max_sizes:
                    break
        with pikepdf.open(io.BytesIO(_overlay(stamp, sizes))) as overlay:
            forms: dict[int, object] = {}
            for page in pdf.pages:
                size = display_size(page)
                number = sizes.index(size) if size in sizes else _nearest(sizes, size)
                if number not in forms:
                    forms[number] = pdf.copy_foreign(overlay.pages[number].as_form_xobject())
                _place(page, forms[number], number)
            out = io.BytesIO()
            pdf.save(out)
    return out.getvalue()


def stamp_limited(original: bytes, stamp: Stamp) -> bytes:
    """stamp_pdf in a time- and memory-limited child (core.pdf.pool), for web requests."""
    _pages, max_sizes = limits()
    head, data = pool.run({"kind": "stamp", "stamp": asdict(stamp), "max_sizes": max_sizes},
                          original)
    if head.get("status") != 0:
        raise RenderFailed(_("A copy of this PDF could not be made: the file cannot be read. "
                             "Ask the ISO coordinator to check it."))
    return data
