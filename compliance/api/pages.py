"""Keyset pagination for API lists: a stable order by id, an opaque cursor, a `Link` header."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from flask import request
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from compliance.core.extensions import db


class PageArgs(Schema):
    """?limit= and ?cursor= of every list."""

    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.Str(load_default=None)


def _decode(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor.encode("ascii") + b"==").decode("ascii"))
    except (ValueError, UnicodeError):
        abort(400, message="The cursor is not valid.")
        raise  # unreachable: abort raises


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
        query = request.args.to_dict()
        query.update(cursor=_encode(rows[-1].id), limit=str(args["limit"]))
        headers["Link"] = f'<{request.base_url}?{urlencode(query)}>; rel="next"'
    return rows, 200, headers
