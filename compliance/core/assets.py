"""Static assets under content-hashed names, compressed, cached for a year.

Pages link `/assets/<digest>/<name>`, where the digest is the start of the file's SHA-256: a
changed file gets a new address, so browsers may keep each address forever (`immutable`) and
never revalidate. Names come from a fixed list (ASSETS), never from the request: a name that
is not on it is a 404, so no visitor input reaches a path. Each file is read and hashed
once per process, and compressed when first asked for.

Only assets are compressed, not pages: a page carries its CSRF token beside text the visitor
chose, which is what a compression side channel (BREACH) needs.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import flask_swagger_ui
from flask import Flask, abort, current_app, has_request_context, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response

YEAR = 365 * 24 * 3600
DIGEST = 12
# name in the URL → (static folder it lives in: "app", "bootstrap" or "swagger", path inside it)
ASSETS = {
    "app.css": ("app", "app.css"),
    "app.js": ("app", "app.js"),
    "pickers.js": ("app", "pickers.js"),
    "api-reference.js": ("app", "api-reference.js"),
    # The API's reference page (compliance/api/reference.py): Swagger UI's own build, as the
    # flask-swagger-ui distribution carries it (only its files are used, not its blueprint).
    "swagger-ui-bundle.js": ("swagger", "swagger-ui-bundle.js"),
    "swagger-ui.css": ("swagger", "swagger-ui.css"),
    "bootstrap.min.css": ("bootstrap", "css/bootstrap.min.css"),
    "bootstrap.min.js": ("bootstrap", "js/bootstrap.min.js"),
    "popper.min.js": ("bootstrap", "umd/popper.min.js"),
}
# Smaller than this, compressing costs more than it saves.
COMPRESS_FROM = 1024


@dataclass(frozen=True)
class Asset:
    """One file as served: its bytes, digest and type (the gzip form made on first request)."""

    body: bytes
    digest: str
    mimetype: str


# Per process, not per app, keyed by the file and its modification: the files belong to the
# package, and a test run builds hundreds of apps.
_LOADED: dict[tuple[Path, int, int], Asset] = {}
_GZIPPED: dict[str, bytes | None] = {}


def _folder(app: Flask, where: str) -> Path:
    if where == "app":
        return Path(app.static_folder)
    if where == "swagger":
        return Path(flask_swagger_ui.__file__).parent / "dist"
    return Path(app.blueprints["bootstrap"].static_folder)


def asset(name: str) -> Asset:
    """The asset of that name; KeyError when it is not one."""
    where, inside = ASSETS[name]
    path = _folder(current_app, where) / inside
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _LOADED:
        body = path.read_bytes()
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        _LOADED[key] = Asset(body, hashlib.sha256(body).hexdigest()[:DIGEST], mimetype)
    return _LOADED[key]


def _gzipped(found: Asset) -> bytes | None:
    """The gzip form of an asset (None when too small to be worth it), made once."""
    if found.digest not in _GZIPPED:
        # mtime 0: the same bytes every time, so every worker serves one body per ETag.
        _GZIPPED[found.digest] = gzip.compress(found.body, compresslevel=9, mtime=0) \
            if len(found.body) >= COMPRESS_FROM else None
    return _GZIPPED[found.digest]


def asset_url(name: str) -> str:
    """The content-hashed address of an asset, for templates."""
    # Made once per app and script root (six on every page, each a stat and a url_for);
    # with debug on, looked at again on every page so that an edited file shows at once.
    # A file replaced under a running app keeps its old address, which `serve` redirects.
    urls = current_app.extensions.setdefault("compliance_asset_urls", {})
    key = (name, request.script_root if has_request_context() else None)
    found = urls.get(key)
    if found is None or current_app.debug:
        found = urls[key] = url_for("assets", digest=asset(name).digest, name=name)
    return found


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
    body, gzipped = found.body, _gzipped(found)
    if gzipped is not None and _accepts_gzip():
        body = gzipped
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
