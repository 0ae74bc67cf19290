"""Constants and errors of PDF output, importable without WeasyPrint."""

from __future__ import annotations

from pathlib import Path

from compliance.core.errors import DomainError

BASE_URL = "app://render/"
# The app's own static files, reachable from a PDF template as app://static/<name>.
STATIC_PREFIX = "app://static/"
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
# A data: URI larger than this (as written) is refused: it could only be someone's payload.
DATA_URI_LIMIT = 256 * 1024
STATIC_FILE_LIMIT = 4 * 1024 * 1024
DEFAULT_TIME_LIMIT = 60.0
DEFAULT_MEMORY_LIMIT_MB = 1024
# Render children working at once, per web process; more requests wait for one to be free.
DEFAULT_WORKERS = 2
# An uploaded PDF past either limit is refused: no real procedure comes near them, and each
# distinct page size costs every controlled copy one overlay.
DEFAULT_MAX_PAGES = 2000
DEFAULT_MAX_PAGE_SIZES = 20
# Office files are made into PDF by LibreOffice (core.pdf.convert): a program, not a path,
# is looked up on PATH. About 2 s for a short document, 250 MB of address space.
DEFAULT_OFFICE_RENDERER = "soffice"
DEFAULT_OFFICE_TIME_LIMIT = 120.0
DEFAULT_OFFICE_MEMORY_LIMIT_MB = 1024


def _(message: str, **values) -> str:
    """Translate when a Flask app is at hand (requests), else keep the English source."""
    try:
        from flask_babel import gettext

        return gettext(message, **values)
    except (RuntimeError, KeyError):
        return message % values


def config_value(key: str, default):
    """A setting of the app at hand, else the default (the render child has no app)."""
    try:
        from flask import current_app, has_app_context
    except ImportError:  # pragma: no cover - Flask is a dependency
        return default
    if not has_app_context():
        return default
    value = current_app.config.get(key)
    return default if value in (None, "") else value


class RenderLimitExceeded(DomainError):
    """The render ran past its time or memory limit and was stopped, or no render process
    became free in time (`busy`); nothing was kept."""

    status = 503

    def __init__(self, message: str, *, busy: bool = False, limit: str = "time", **kwargs):
        super().__init__(message, **kwargs)
        # Which limit stopped it: "time" or "memory" (meaningless when busy).
        self.busy, self.limit = busy, limit


class RenderFailed(DomainError):
    """The renderer gave up on the content; nothing was kept."""

    status = 422


class PdfRefused(DomainError):
    """An uploaded PDF the product will not take: over the limits or unreadable."""

    status = 415
