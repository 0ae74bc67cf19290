"""Measure pages: the child blueprint `measures` of `quality` (endpoints
`quality.measures.*`, URLs under /measures). The views live in `pages.py` (register, define,
change, the page, recording), `values.py` (a value, its evidence, raising a corrective
action) and `imports.py` (CSV upload, preview, confirmation)."""

from __future__ import annotations

from compliance.quality.measures import jobs
from compliance.quality.measures.web import imports, pages, values
from compliance.quality.measures.web.blueprint import bp

__all__ = ["bp", "imports", "pages", "register", "values"]


def register(app) -> None:
    """Add this sub-domain's jobs (its pages are mounted with the parent `quality`)."""
    jobs.register(app)
