"""Per-page digests of content streams, shared by the builder and the verifier."""

from __future__ import annotations

import hashlib

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "compliance-evidence-pack/1"


def page_digest(page) -> str:
    """SHA-256 of the page's decoded content stream(s), in order."""
    # Here, not at the top: the app imports this module for its constants, and pypdf is
    # only wanted once a pack is built or verified.
    from pypdf.generic import ArrayObject

    digest = hashlib.sha256()
    contents = page.get("/Contents")
    if contents is not None:
        contents = contents.get_object()
        streams = contents if isinstance(contents, ArrayObject) else [contents]
        for stream in streams:
            digest.update(stream.get_object().get_data())
    return digest.hexdigest()


def sha256(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()
