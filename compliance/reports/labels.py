"""Choices of the reports domain and their labels in the reader's language: forms, pages and
the PDFs import them from here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {"open": _l("Open"), "done": _l("Done"), "cancelled": _l("Cancelled")}
# The languages a report's PDF is made in, each named in its own language.
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
