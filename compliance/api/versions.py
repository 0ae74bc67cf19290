"""Optimistic concurrency for the API: each mutable resource answers an `ETag` made from its
version counter (the same `version` the pages' forms carry, core.db.check_version), and a
write names the version it was made on in `If-Match`: a stale one is refused with 412, none
at all with 428, before the service runs (which checks the version again, under the lock)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from compliance.api import BEARER
from compliance.api.errors import ApiError

ETAG_HEADER = {"ETag": {"description": "The version of the resource, to send back in "
                                       "`If-Match` with a change.",
                        "schema": {"type": "string"}}}
IF_MATCH = {"name": "If-Match", "in": "header", "required": True,
            "description": "The `ETag` of the resource as last read: a stale one is "
                           "refused with 412 `precondition_failed`, none with 428 "
                           "`precondition_required`.",
            "schema": {"type": "string"}}


def etag_of(row, state=None) -> str:
    """The strong ETag of a row: its table, id and version counter, or, for a row without
    one, the state given (what changes with each of its transitions)."""
    version = getattr(row, "version", None) if state is None else \
        "-".join(str(part) for part in state)
    return f'"{row.__tablename__}-{row.id}-{version}"'


def with_etag(row, body=None, state=None):
    """A view's answer: the body (the row itself unless given), 200, and the row's ETag."""
    return (row if body is None else body), 200, {"ETag": etag_of(row, state)}


def _sent_tags() -> list[str]:
    header = request.headers.get("If-Match", "")
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def require_match(row, state=None) -> int | None:
    """Refuse a write without `If-Match` (428) or made on another version (412); the version
    matched, to hand to the service's `expected_version`."""
    sent = _sent_tags()
    if not sent:
        raise ApiError(_("Send the resource's ETag in an If-Match header: a change must "
                         "name the version it was made on."), 428, "precondition_required")
    if "*" not in sent and etag_of(row, state) not in sent:
        raise ApiError(_("Someone else changed this resource since you read it. Read it "
                         "again and apply your change to what it is now."), 412,
                       "precondition_failed")
    return getattr(row, "version", None)


def if_match_required(bp):
    """Document the If-Match header a write requires, with its 412 and 428 refusals."""
    def decorate(view):
        view = bp.alt_response(412, response="PRECONDITION_FAILED")(view)
        view = bp.alt_response(428, response="PRECONDITION_REQUIRED")(view)
        return bp.doc(parameters=[IF_MATCH])(view)
    return decorate


def read_one(bp, schema):
    """Document a read of one versioned resource: its schema with the ETag header, 404 for
    what the caller may not see, and the bearer token it needs."""
    def decorate(view):
        view = bp.doc(security=BEARER)(view)
        view = bp.alt_response(404, response="NOT_FOUND")(view)
        return bp.response(200, schema, headers=ETAG_HEADER)(view)
    return decorate


def creates(bp, schema):
    """Document a write that makes a record: 201 with its schema, 403 for whom the rules
    refuse, 404, 409 for a wrong state, the bearer token."""
    def decorate(view):
        view = bp.doc(security=BEARER)(view)
        for status, name in ((409, "CONFLICT"), (404, "NOT_FOUND"), (403, "FORBIDDEN")):
            view = bp.alt_response(status, response=name)(view)
        return bp.response(201, schema)(view)
    return decorate


def write_one(bp, schema):
    """Document a write to one versioned resource: If-Match (412, 428), its schema with the
    new ETag, 403 for whom the rules refuse, 404, 409 for a wrong state, the bearer token."""
    def decorate(view):
        view = bp.doc(security=BEARER)(view)
        view = if_match_required(bp)(view)
        for status, name in ((409, "CONFLICT"), (404, "NOT_FOUND"), (403, "FORBIDDEN")):
            view = bp.alt_response(status, response=name)(view)
        return bp.response(200, schema, headers=ETAG_HEADER)(view)
    return decorate


def deletes(bp):
    """Document a deletion of one versioned resource: If-Match (412, 428), 204 without a
    body, 403 for whom the rules refuse, 404, 409 for a wrong state, the bearer token."""
    def decorate(view):
        view = bp.doc(security=BEARER)(view)
        view = if_match_required(bp)(view)
        for status, name in ((409, "CONFLICT"), (404, "NOT_FOUND"), (403, "FORBIDDEN")):
            view = bp.alt_response(status, response=name)(view)
        return bp.response(204, description="Deleted.")(view)
    return decorate
