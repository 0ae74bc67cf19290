"""How a notification is stored and said: its values as JSON, its sentence in the reader's
language (the messages themselves are in labels.py)."""

from __future__ import annotations

import json
from datetime import date
from inspect import isfunction

from compliance.core.locale import format_day
from compliance.notifications.labels import KINDS, Kind


def dump(params: dict) -> str:
    """Stored form of a notification's values (dates as ISO text)."""
    return json.dumps(params, ensure_ascii=False, sort_keys=True,
                      default=lambda v: v.isoformat() if isinstance(v, date) else str(v))


def _localised(params: dict, kind: Kind, locale: str) -> dict:
    values: dict = {}
    for key, value in params.items():
        base, _sep, lang = key.rpartition("_")
        if lang in ("vi", "en") and base:
            if lang == locale or base not in values:
                values[base] = value
            continue
        values.setdefault(key, value)
    for key in kind.date_keys:
        if isinstance(values.get(key), str):
            values[key] = format_day(date.fromisoformat(values[key]))
    return values


def render(kind_name: str, params_json: str, locale: str) -> str:
    """The notification's sentence in the active language (call under force_locale)."""
    kind = KINDS.get(kind_name)
    if kind is None:
        return kind_name
    params = json.loads(params_json or "{}")
    counted = isfunction(kind.message)
    try:
        values = _localised(params, kind, locale)
        return kind.message(values) if counted else str(kind.message) % values
    except (KeyError, TypeError, ValueError):
        # A message changed since the notification was stored: show it without the values.
        return kind_name if counted else str(kind.message).split("%(")[0].rstrip()
