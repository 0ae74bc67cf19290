"""PDF output. WeasyPrint is imported only when a PDF is rendered, so the command line and
modules that merely name these functions start fast."""

from compliance.core.pdf.inspect import check_upload
from compliance.core.pdf.limits import PdfRefused, RenderFailed, RenderLimitExceeded
from compliance.core.pdf.render import html_to_pdf, render_limited
from compliance.core.pdf.stamp import Stamp, stamp_limited, stamp_pdf

__all__ = ["PdfRefused", "RenderFailed", "RenderLimitExceeded", "Stamp", "check_upload",
           "html_to_pdf", "render_limited", "stamp_limited", "stamp_pdf"]
