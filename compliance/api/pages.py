"""Keyset pagination for API lists: a stable order (by id, or by a sort key then id), an
opaque cursor, a `Link` header."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from urllib.parse import urlencode

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import literal, tuple_
from sqlalchemy.types import Date, DateTime

from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.http import LARGEST_ID


def record_id(**kwargs) -> fields.Int:
    """A filter naming a record by id: refused at its field past the ids a database holds
    (a 32-bit integer on PostgreSQL), rather than overflowing the query."""
    return fields.Int(load_default=None, validate=validate.Range(
        min=1, max=LARGEST_ID, error=_l("Must be from {min} to {max}.")), **kwargs)


class PageArgs(Schema):
    """?limit= and ?cursor= of every list."""

    limit = fields.Int(load_default=50, validate=validate.Range(
        min=1, max=200, error=_l("Must be from {min} to {max}.")))
    cursor = fields.Str(load_default=None)


def _decode(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor.encode("ascii") + b"==").decode("ascii"))
    except (ValueError, UnicodeError):
        raise DomainError(_("The cursor is not valid."), status=400, field="cursor") from None


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode("ascii")).decode("ascii").rstrip("=")


def keyset_page(stmt, key, args: dict):
    """One page of `stmt` after the cursor, ordered by `key`, with the next page's `Link`."""
    if args.get("cursor"):
        stmt = stmt.where(key > _decode(args["cursor"]))
    rows = list(db.session.scalars(stmt.order_by(key).limit(args["limit"] + 1)))
    headers = {}
    if len(rows) > args["limit"]:
        rows = rows[:args["limit"]]
        headers["Link"] = next_link(_encode(rows[-1].id), args["limit"])
    return rows, 200, headers


def sorted_args(*keys: str) -> type[Schema]:
    """PageArgs with ?sort= among the keys given (`-key`: descending), the first by default."""
    allowed = [*keys, *(f"-{key}" for key in keys)]
    return Schema.from_dict({
        "limit": PageArgs._declared_fields["limit"],
        "cursor": fields.Str(load_default=None),
        "sort": fields.Str(load_default=keys[0], validate=validate.OneOf(
            allowed, error=_l("Must be one of: {choices}."))),
    }, name=f"Sorted{''.join(key.title() for key in keys)}PageArgs")


def decode_pair(cursor: str) -> tuple:
    """The (sort value, id) a cursor of sorted_page or encode_pair names; 400 if none."""
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii") + b"=="))
        if isinstance(value, (list, dict)):
            raise ValueError(cursor)
        return value, int(row_id)
    except (ValueError, TypeError, UnicodeError):
        raise DomainError(_("The cursor is not valid."), status=400, field="cursor") from None


def sorted_page(stmt, sorts: dict, id_column, args: dict):
    """One page of `stmt` in the order ?sort= names (ties broken by id, so the order is
    stable), after the cursor, with the next page's `Link`."""
    key = args["sort"].removeprefix("-")
    descending = args["sort"].startswith("-")
    column = sorts[key]
    if args.get("cursor"):
        value, row_id = decode_pair(args["cursor"])
        pair, seen = tuple_(column, id_column), tuple_(_typed(column, value), literal(row_id))
        stmt = stmt.where(pair < seen if descending else pair > seen)
    order = (column.desc(), id_column.desc()) if descending else (column, id_column)
    rows = list(db.session.scalars(stmt.order_by(*order).limit(args["limit"] + 1)))
    headers = {}
    if len(rows) > args["limit"]:
        rows = rows[:args["limit"]]
        last = rows[-1]
        headers["Link"] = next_link(encode_pair(getattr(last, column.key), last.id),
                                    args["limit"])
    return rows, 200, headers


def _typed(column, value):
    """The cursor's sort value bound as the column's type: a date or a moment travels in
    the cursor as ISO text, and PostgreSQL compares no date with text."""
    try:
        if isinstance(column.type, DateTime) and isinstance(value, str):
            value = datetime.fromisoformat(value)
        elif isinstance(column.type, Date) and isinstance(value, str):
            value = date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("The cursor is not valid."), status=400, field="cursor") from None
    return literal(value, column.type)


def _iso(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(value)


def encode_pair(value, row_id: int) -> str:
    """An opaque cursor for 'after the row with this sort value and id'."""
    raw = json.dumps([value, row_id], default=_iso).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def next_link(cursor: str, limit: int) -> str:
    """The `Link` header to the page after this one: the same address and filters."""
    query = request.args.to_dict()
    query.update(cursor=cursor, limit=str(limit))
    return f'<{request.base_url}?{urlencode(query)}>; rel="next"'


REFUSALS = {403: "FORBIDDEN", 404: "NOT_FOUND"}


def list_of(bp, args_schema, schema, *refusals: int):
    """Document a list: its query arguments, its rows, the refusals it may answer (403,
    404) and the bearer token it needs."""
    def decorate(view):
        view = bp.doc(security=[{"bearer": []}])(view)
        for status in refusals:
            view = bp.alt_response(status, response=REFUSALS[status])(view)
        view = bp.response(200, schema(many=True))(view)
        return bp.arguments(args_schema, location="query")(view)
    return decorate
