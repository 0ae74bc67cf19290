"""Content-addressed blob store: each file is kept once, by SHA-256, and never rewritten.

The store is chosen once per app from its configuration: `STORAGE_URL` (`s3://bucket/prefix?
endpoint=…&region=…`, see s3.py) when set, else the folder `STORAGE_PATH` (local.py).
"""

from __future__ import annotations

from flask import current_app

from compliance.core.storage.base import (
    CHUNK,
    BlobCorrupted,
    BlobStore,
    BlobTooLarge,
    CheckedReader,
    StoredBlob,
    Unfinished,
)
from compliance.core.storage.local import LocalBlobStore
from compliance.core.storage.s3 import S3BlobStore

__all__ = ["CHUNK", "BlobCorrupted", "BlobStore", "BlobTooLarge", "CheckedReader",
           "LocalBlobStore", "S3BlobStore", "StoredBlob", "Unfinished", "get_store",
           "open_store"]


def open_store(location: str, presign_seconds: int = 0) -> BlobStore:
    """The store at an `s3://` URL, a `file://` URL or a folder."""
    if location.startswith("s3://"):
        return S3BlobStore.from_url(location, presign_seconds)
    return LocalBlobStore(location.removeprefix("file://"))


def get_store() -> BlobStore:
    """The store configured for the current app (made once per app)."""
    stores = current_app.extensions.setdefault("compliance.blob_store", {})
    location = current_app.config.get("STORAGE_URL") or current_app.config["STORAGE_PATH"]
    if location not in stores:
        stores[location] = open_store(location,
                                      int(current_app.config["STORAGE_PRESIGN_SECONDS"]))
    return stores[location]
