"""What a handler checks first: the rule book answers before the body is read (403, 404),
as on the page, and only then the input (422) and the precondition (428, 412); a row the
caller may not see is a 404."""

from __future__ import annotations

from functools import wraps

from compliance.core.errors import NotFound
from compliance.core.extensions import db


def rules_first(check):
    """Run `check(**the URL's arguments)` before the view and its argument parsing."""
    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            check(**kwargs)
            return view(*args, **kwargs)
        return guarded
    return decorate


def visible_one(stmt, message: str):
    """The row a statement limited by a rule book's `visible_*` finds, or 404 with the
    message: what the caller may not see, they may not know exists."""
    found = db.session.scalar(stmt)
    if found is None:
        raise NotFound(message)
    return found
