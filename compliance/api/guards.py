"""What a handler checks first: the rule book answers before the body is read (403, 404),
as on the page, and only then the input (422) and the precondition (428, 412); a row the
caller may not see is a 404."""

from __future__ import annotations

from functools import wraps

from compliance.api.errors import ApiError, ErrorSchema
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


def on_its_page(bp, who: str):
    """Document an act the API never does (a signature, a closure): always 403
    `reauthentication_required` with the link of its page, 404, the bearer token."""
    def decorate(view):
        view = bp.doc(security=[{"bearer": []}])(view)
        view = bp.alt_response(404, response="NOT_FOUND")(view)
        return bp.alt_response(403, schema=ErrorSchema, description=(
            "Always refused: `reauthentication_required`, with the `link` of the page "
            f"where {who}."))(view)
    return decorate


def refuse_here(message: str, link: str):
    """Refuse the act, sending the caller to the page where a person does it."""
    raise ApiError(message, 403, "reauthentication_required", link=link)
