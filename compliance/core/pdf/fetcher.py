"""The URL fetcher WeasyPrint renders with: only what it is handed, the app's static files and
small data: URIs; nothing else is ever fetched. Importing it imports WeasyPrint (slow)."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes

from weasyprint.urls import URLFetcher, URLFetcherResponse

from compliance.core.pdf.limits import DATA_URI_LIMIT, STATIC_DIR, STATIC_FILE_LIMIT, STATIC_PREFIX

_MIME = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".ttf": "font/ttf", ".woff2": "font/woff2"}


class AllowListFetcher(URLFetcher):
    """Serves the resources handed to it, the app's static files and small data: URIs;
    every other URL (other hosts, loopback, file://, ftp:, ...) is refused and noted.

    WeasyPrint sends every URL it wants through fetch(): <img>, <link rel=stylesheet>,
    @import, url() in any style, @font-face, @color-profile, SVG <image>, <link
    rel=attachment> and <a rel=attachment>. Nothing here ever calls urllib, so no
    redirect or protocol handler can be reached."""

    def __init__(self, resources: dict[str, tuple[bytes, str]] | None = None, *,
                 static_dir: Path | None = STATIC_DIR, data_limit: int = DATA_URI_LIMIT):
        super().__init__(allowed_protocols=("app", "data"), allow_redirects=False,
                         fail_on_errors=False)
        self.resources = dict(resources or {})
        self.static_dir = static_dir
        self.data_limit = data_limit
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        """Answer from the allow-list or refuse."""
        found = self._lookup(url)
        if found is None:
            self.refused.append(url[:500])
            raise ValueError("resource not on the allow-list")
        self.served.append(url[:500])
        data, mime_type = found
        return URLFetcherResponse(url, data, {"Content-Type": mime_type})

    def _lookup(self, url: str) -> tuple[bytes, str] | None:
        if url in self.resources:
            return self.resources[url]
        if url.startswith("data:"):
            return _decode_data_uri(url, self.data_limit)
        if url.startswith(STATIC_PREFIX) and self.static_dir is not None:
            return _static_file(self.static_dir, url[len(STATIC_PREFIX):])
        return None


def _decode_data_uri(url: str, limit: int) -> tuple[bytes, str] | None:
    """A data: URI within the size cap, decoded by hand (urllib is never involved)."""
    if len(url) > limit or "," not in url:
        return None
    header, payload = url[5:].split(",", 1)
    parts = header.split(";")
    mime_type = parts[0].strip().lower() or "text/plain"
    try:
        data = (base64.b64decode(unquote(payload), validate=False) if "base64" in parts[1:]
                else unquote_to_bytes(payload))
    except ValueError:
        return None
    return data, mime_type


def _static_file(folder: Path, name: str) -> tuple[bytes, str] | None:
    """A file of the static folder itself; '..', absolute names and links out are refused."""
    name = unquote(name.split("?", 1)[0].split("#", 1)[0])
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return None
    root = folder.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    if path.stat().st_size > STATIC_FILE_LIMIT:
        return None
    return path.read_bytes(), _MIME.get(path.suffix.lower(), "application/octet-stream")


