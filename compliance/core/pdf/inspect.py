"""What an uploaded PDF holds: its pages, the distinct sizes they show and any active content.

`facts` reads a file with pikepdf in the calling process (the limited child); `check_upload`
asks the child and refuses a file over the limits before it is stored. The limits are far
beyond any real procedure: they exist because every distinct page size costs a controlled
copy one overlay, and every page one merge."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from compliance.core.pdf import pool
from compliance.core.pdf.limits import (
    DEFAULT_MAX_PAGE_SIZES,
    DEFAULT_MAX_PAGES,
    PdfRefused,
    RenderLimitExceeded,
    _,
    config_value,
)

if TYPE_CHECKING:
    import pikepdf


def display_size(page: pikepdf.Page) -> tuple[float, float]:
    """The size a reader shows the page at (its crop box, turned by /Rotate), in points."""
    left, bottom, right, top = (float(v) for v in page.cropbox)
    width, height = round(abs(right - left), 2), round(abs(top - bottom), 2)
    return (height, width) if page.rotation in (90, 270) else (width, height)


def facts(data: bytes, *, max_pages: int = DEFAULT_MAX_PAGES,
          max_sizes: int = DEFAULT_MAX_PAGE_SIZES) -> dict:
    """Pages, distinct sizes (at most max_sizes + 1 are listed) and active content; a file
    past max_pages is not read further."""
    # Only in the limited child that reads the file: the web app never opens one itself.
    import pikepdf

    from compliance.core.pdf.sanitise import find_active

    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        if pages > max_pages:
            return {"pages": pages, "sizes": [], "active": []}
        sizes: list[tuple[float, float]] = []
        for page in pdf.pages:
            size = display_size(page)
            if size not in sizes:
                sizes.append(size)
                if len(sizes) > max_sizes:
                    break
        return {"pages": pages, "sizes": sizes, "active": find_active(pdf)}


def limits() -> tuple[int, int]:
    """The page and page-size limits of the app's configuration."""
    return (int(config_value("PDF_MAX_PAGES", DEFAULT_MAX_PAGES)),
            int(config_value("PDF_MAX_PAGE_SIZES", DEFAULT_MAX_PAGE_SIZES)))


def check_upload(data: bytes) -> tuple[str, ...]:
    """Refuse a PDF over the limits or one pikepdf cannot read; else the kinds of active
    content it holds (they are removed from every copy, never from the original)."""
    max_pages, max_sizes = limits()
    try:
        head, _body = pool.run({"kind": "inspect", "max_pages": max_pages,
                                "max_sizes": max_sizes}, data)
    except RenderLimitExceeded as error:
        if error.busy:
            raise
        raise PdfRefused(_("This PDF could not be checked within the limits of the server, "
                           "so it was refused. Nothing was saved."), status=422) from None
    if head["status"] != 0:
        raise PdfRefused(_("The PDF file is damaged and cannot be read."))
    if head["pages"] > max_pages:
        raise PdfRefused(_(
            "The PDF has %(pages)s pages; at most %(limit)s are accepted. Split it into "
            "parts and upload each as its own document.", pages=head["pages"], limit=max_pages))
    if len(head["sizes"]) > max_sizes:
        raise PdfRefused(_(
            "The PDF has pages of more than %(limit)s different sizes, which no document "
            "of this kind needs. Save it again with standard page sizes (such as A4) and "
            "upload it again.", limit=max_sizes))
    return tuple(head["active"])
