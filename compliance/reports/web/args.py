"""What the report pages read from the query string: the PDF's language and dates (web
layer: reads `request`)."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import get_locale
from flask_babel import gettext as _

from compliance.core.day_input import parse_day
from compliance.core.errors import DomainError
from compliance.reports.labels import LANGUAGES


def pdf_language() -> str:
    """The PDF's language: ?lang=vi|en, else the reader's own."""
    lang = request.args.get("lang") or str(get_locale())
    if lang not in LANGUAGES:
        raise DomainError(_("Choose Vietnamese (vi) or English (en) for the PDF."), field="lang")
    return lang


def day_argument(name: str, default: date) -> date:
    """A day given as ?name=31/12/2026 (or 2026-12-31), or the default when absent."""
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        return parse_day(raw)
    except ValueError:
        raise DomainError(_("Write dates as day/month/year, e.g. 31/12/2026."),
                          field=name) from None
