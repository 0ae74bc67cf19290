"""What a write's handler checks before its body is read: the rule book answers first (403,
404), as on the page, and only then the input (422) and the precondition (428, 412)."""

from __future__ import annotations

from functools import wraps


def rules_first(check):
    """Run `check(**the URL's arguments)` before the view and its argument parsing."""
    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            check(**kwargs)
            return view(*args, **kwargs)
        return guarded
    return decorate
