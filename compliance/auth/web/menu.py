"""The navigation's menu, rendered once per kind of reader (issue 16, item 13).

Which menu entries a person sees follows from their global roles and department memberships
alone (the `may_*` rules the menu calls read nothing else), in the page's language. The menu
is a dozen permission checks and thirty links on every signed-in page, so it is rendered once
per such reader and kept; a change of roles or memberships is a different key. An entry that
came to depend on anything else would need that in the key too.
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

# Kinds of reader kept per app; past it the cache starts afresh (no locks, no ordering).
LIMIT = 1024


def reader_key(user) -> tuple:
    """What the menu depends on: the reader's roles and memberships."""
    if not getattr(user, "is_authenticated", False):
        return (None,)
    return (user.organisation_id, user.is_active, tuple(sorted(user.global_roles)),
            tuple(sorted((m.department_id, m.role) for m in user.memberships)))


def cached_menu(*more, caller) -> Markup:
    """The menu for this reader and language (and `more`: what else the template's entries
    read, such as what the reader may reach above their organisation): rendered by `caller`
    the first time."""
    cache = current_app.extensions.setdefault("compliance_menu", {})
    key = (reader_key(current_user), str(get_locale()), request.script_root, more)
    found = cache.get(key)
    if found is None:
        found = Markup(caller())  # noqa: S704 - the template's own rendered output
        if len(cache) >= LIMIT:
            cache.clear()
        cache[key] = found
    return found
