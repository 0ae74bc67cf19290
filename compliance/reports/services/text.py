"""Free text as the reports domain keeps it: no NUL, trimmed, within its limit."""

from __future__ import annotations

from flask_babel import gettext as _

from compliance.core.errors import DomainError

TEXT_LIMIT = 5000
SUMMARY_LIMIT = 20000


def clean_text(value: str | None, limit: int, label: str, field: str,
               required: bool = False) -> str:
    """The text trimmed, or refused (naming `field`) when required and empty, or too long."""
    # PostgreSQL refuses NUL in text; nothing legitimate needs it.
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise DomainError(_("%(field)s is required.", field=label), field=field)
    if len(value) > limit:
        raise DomainError(_("%(field)s is too long (at most %(limit)s characters).",
                            field=label, limit=limit), field=field)
    return value
