"""Static assets under content-hashed names, compressed, cached for a year.

Pages link `/assets/<digest>/<name>`, where the digest is the start of the file's SHA-256: a
changed file gets a new address, so browsers may keep each address forever (`immutable`) and
never revalidate. Names come from a fixed list (ASSETS), never from the request: a name that
is not on it is a 404, so no visitor input reaches a path. Each file is read, hashed and
gzip-compressed once per process, on first use.

Only assets are compressed, not pages: a page carries its CSRF token beside text the visitor
chose, which is what a compression side channel (BREACH) needs.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, abort, current_app, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response

YEAR = 365 * 24 * 3600
DIGEST = 12
# name in the URL → (static folder it lives in: "app" or "bootstrap", path inside it)
ASSETS = {
    "app.css": ("app", "app.css"),
    "app.js": ("app", "app.js"),
    "bootstrap.min.css": ("bootstrap", "css/bootstrap.min.css"),
    "bootstrap.min.js": ("bootstrap", "js/bootstrap.min.js"),
    "popper.min.js": ("bootstrap", "umd/popper.min.js"),
}
# Smaller than this, compressing costs more than it saves.
COMPRESS_FROM = 1024


@dataclass(frozen=True)
class Asset:
    """One file as served: its bytes, their gzip form, digest and type."""

    body: bytes
    gzipped: bytes | None
    digest: str
    mimetype: str


def _folder(app: Flask, where: str) -> Path:
    if where == "app":
        return Path(app.static_folder)
    return Path(app.blueprints["bootstrap"].static_folder)


def _load(app: Flask, name: str) -> Asset:
    where, inside = ASSETS[name]
    body = (_folder(app, where) / inside).read_bytes()
    # mtime 0: the same bytes every time, so every worker serves one ETag-stable body.
    gzipped = gzip.compress(body, compresslevel=9, mtime=0) if len(body) >= COMPRESS_FROM \
        else None
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Asset(body, gzipped, hashlib.sha256(body).hexdigest()[:DIGEST], mimetype)


def asset(name: str) -> Asset:
    """The asset of that name (loaded once per app); KeyError when it is not one."""
    cache = current_app.extensions.setdefault("compliance_assets", {})
    if name not in cache:
        if name not in ASSETS:
            raise KeyError(name)
        cache[name] = _load(current_app._get_current_object(), name)
    return cache[name]


def asset_url(name: str) -> str:
    """The content-hashed address of an asset, for templates."""
    return url_for("assets", digest=asset(name).digest, name=name)


def _accepts_gzip() -> bool:
    return any(part.split(";")[0].strip() == "gzip" and "q=0" not in part.replace(" ", "")
               for part in request.headers.get("Accept-Encoding", "").split(","))


def serve(digest: str, name: str) -> Response:
    """The asset itself: gzip when the browser takes it, cached for a year."""
    try:
        found = asset(name)
    except KeyError:
        abort(404)
    if digest != found.digest:
        # A page from before an upgrade asks for the old file: send it to the current one,
        # briefly cached, since the old address must not come to mean the new bytes.
        response = redirect(url_for("assets", digest=found.digest, name=name))
        response.headers["Cache-Control"] = "no-cache"
        return response
    etag = f'"{found.digest}"'
    headers = {"Cache-Control": f"public, max-age={YEAR}, immutable", "ETag": etag,
               "Vary": "Accept-Encoding"}
    if request.headers.get("If-None-Match") == etag:
        return Response(status=304, headers=headers)
    body = found.body
    if found.gzipped is not None and _accepts_gzip():
        body = found.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, mimetype=found.mimetype, headers=headers)


class SessionWithoutAssets(SecureCookieSessionInterface):
    """Flask's signed-cookie session, left out of asset answers: the sign-in extension reads
    the session after every request, which would add `Vary: Cookie` (a browser would fetch
    every asset again after each sign-in) and could set a cookie on a cached file."""

    def save_session(self, app, session, response):
        """Save as Flask does, except on an asset."""
        if request.endpoint == "assets":
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """The /assets route, the asset_url template function, the session that skips assets."""
    app.add_url_rule("/assets/<digest>/<name>", "assets", serve)
    app.jinja_env.globals["asset_url"] = asset_url
    app.session_interface = SessionWithoutAssets()
