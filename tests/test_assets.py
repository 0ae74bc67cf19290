"""Static assets: content-hashed addresses, gzip, a year of caching, nothing but the list."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import pytest

import compliance
from compliance.core.assets import COMPRESS_FROM

pytestmark = pytest.mark.one_database
STATIC = Path(compliance.__file__).parent / "static"
LINKED = re.compile(r'(?:href|src)="(/assets/([0-9a-f]+)/([^"]+))"')


def _links(client) -> list[tuple[str, str, str]]:
    return LINKED.findall(client.get("/login").get_data(as_text=True))


def test_every_page_links_its_css_and_scripts_by_content_hash(client):
    links = _links(client)
    assert [name for _url, _digest, name in links] == [
        "bootstrap.min.css", "app.css", "popper.min.js", "bootstrap.min.js", "app.js",
        "pickers.js"]
    css = next(digest for _url, digest, name in links if name == "app.css")
    assert css == hashlib.sha256((STATIC / "app.css").read_bytes()).hexdigest()[:12]


def test_an_asset_is_gzipped_for_a_browser_that_takes_it_and_kept_a_year(client):
    for url, _digest, name in _links(client):
        response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.status_code == 200, name
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Vary"] == "Accept-Encoding"  # not Cookie: one copy for all
        assert "Set-Cookie" not in response.headers
        if name.startswith("app.") or name == "pickers.js":
            source = (STATIC / name).read_bytes()
            if len(source) < COMPRESS_FROM:  # too small to be worth it
                assert "Content-Encoding" not in response.headers
                assert response.data == source
                continue
            assert gzip.decompress(response.data) == source
        assert response.headers["Content-Encoding"] == "gzip"
        assert len(response.data) < len(gzip.decompress(response.data)) / 2
    css = next(url for url, _d, name in _links(client) if name == "bootstrap.min.css")
    plain = client.get(css, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.mimetype == "text/css" and plain.data.lstrip().startswith(b"@charset")
    refused = client.get(css, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_a_revalidation_is_answered_not_modified(client):
    url, digest, _name = _links(client)[1]
    response = client.get(url, headers={"If-None-Match": f'"{digest}"'})
    assert response.status_code == 304 and response.data == b""


def test_an_old_address_leads_to_the_current_file_and_anything_else_is_not_found(client):
    url, digest, name = _links(client)[1]
    old = client.get(f"/assets/{'0' * 12}/{name}")
    assert old.status_code == 302 and old.headers["Location"].endswith(url)
    assert old.headers["Cache-Control"] == "no-cache"
    for path in (f"/assets/{digest}/app.py", f"/assets/{digest}/..%2f__init__.py",
                 f"/assets/{digest}/bootstrap.min.css.map", "/assets/x/../config.py"):
        assert client.get(path).status_code == 404, path
