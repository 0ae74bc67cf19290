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
