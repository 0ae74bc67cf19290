"""What every view needs at the HTTP edge: write intent for GETs that write, one way to answer
a refused form, redirect targets that stay on the site, and file responses that cannot run
in the browser."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import Response, redirect, render_template
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter

from compliance.core.errors import DomainError
from compliance.core.files import KINDS
from compliance.core.storage import get_store

# Statuses that keep their own page: the form is not the problem, so it is not shown again.
NOT_A_FORM_PROBLEM = frozenset({401, 403, 404, 409, 410, 429})
CHUNK = 256 * 1024
# Ids are 32-bit integers on PostgreSQL and 64-bit on SQLite: a larger one in an address
# names nothing, so it is not found (404), rather than overflowing the database's integer.
LARGEST_ID = 2**31 - 1


class RecordId(IntegerConverter):
    """The `int` of every route: an unsigned integer no larger than LARGEST_ID."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=LARGEST_ID,  # noqa: A002
                 signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def writes(view: Callable) -> Callable:
    """Mark a GET view that writes, so its transaction takes the write lock at BEGIN."""
    view.writes = True
    return view


def writes_later(view: Callable) -> Callable:
    """Mark a POST view that does long work (extraction, stamping) before it writes: it starts
    as a reader and calls `uow.begin_writing()` when it is ready to record the result."""
    view.writes_later = True
    return view


def render_form(template: str, form: FlaskForm, **context):
    """The form page: 200 when first shown, 400 when sent back with mistakes in it."""
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template(template, form=form, **context), status


def form_error(form: FlaskForm, error: DomainError, template: str, **context):
    """Show the same form again with the refusal at the field it concerns, input kept.

    A refusal that is not about the form (403, 404, 409 ...) keeps its own status and page.
    The unit of work rolls the request back, since the answer is 4xx."""
    if error.status in NOT_A_FORM_PROBLEM:
        raise error
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
    return render_template(template, form=form, **context), error.status


def local_target(target: str | None, fallback: str) -> str:
    """Where to send the visitor next, when the place comes from them (?next=, a form field, a
    stored link): a plain path on this site, else the fallback. Refused: another scheme or
    host, `//` and backslashes (browsers read them as a host), and any control character
    (a line break would reach the Location header)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    if any(unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")
           for ch in target):
        return fallback
    parts = urlsplit(target)
    return fallback if parts.scheme or parts.netloc else target


def _safe_stem(stem: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem) or "file"


def browser_link(sha256: str, kind_name: str, stem: str) -> Response | None:
    """A redirect to a short-lived link of the store, for an original file, when browsers
    may fetch from it (COMPLIANCE_STORAGE_PRESIGN_SECONDS); None: the app sends the file.
    Never for a stamped copy: that is made for one reader, by the app."""
    kind = KINDS[kind_name]
    url = get_store().browser_url(sha256, f"{_safe_stem(stem)}.{kind.extension}",
                                  kind.mimetype)
    if url is None:
        return None
    response = redirect(url, code=302)
    response.headers["Cache-Control"] = "no-store"
    return response


def original_file(sha256: str, kind_name: str, stem: str) -> Response:
    """An original stored file: by a pre-signed link when allowed, else streamed."""
    link = browser_link(sha256, kind_name, stem)
    return link if link is not None else attachment(get_store().open(sha256), kind_name, stem)


def attachment(content: bytes | BinaryIO, kind_name: str, stem: str) -> Response:
    """An attachment response for a stored file: safe name, right type, nothing runs.
    A stream is sent in chunks, never read whole into memory."""
    kind = KINDS[kind_name]
    if isinstance(content, bytes | bytearray):
        body, length = content, len(content)
    else:
        body, length = _chunks(content), None
    response = Response(body, mimetype=kind.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{_safe_stem(stem)}.{kind.extension}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "no-store",
    })
    if length is not None:
        response.content_length = length
    return response


def _chunks(stream: BinaryIO):
    try:
        while chunk := stream.read(CHUNK):
            yield chunk
    finally:
        stream.close()
