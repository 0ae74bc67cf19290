"""Content-addressed blob store: each file is kept once, by SHA-256, and never rewritten."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from flask_babel import gettext as _

from compliance.core.clock import utcnow
from compliance.core.errors import DomainError

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobTooLarge(DomainError):
    """The upload passed the configured size limit."""

    status = 413


class BlobCorrupted(Exception):
    """A stored file no longer matches the hash it was stored under."""


@dataclass(frozen=True)
class Unfinished:
    """A temporary file of an upload being written (or cut short by a crash)."""

    name: str
    size: int
    age_seconds: float


@dataclass(frozen=True)
class StoredBlob:
    """What the store knows about a file it holds."""

    sha256: str
    size: int


class CheckedReader(io.RawIOBase):
    """A stored blob read in chunks, hashed as it goes: at the end a mismatch raises
    BlobCorrupted, so a damaged file is never handed out whole as if it were intact."""

    def __init__(self, raw: BinaryIO, sha256: str):
        super().__init__()
        self._raw, self._expected, self._digest = raw, sha256, hashlib.sha256()

    def readable(self) -> bool:
        """Always: it is a reader."""
        return True

    def read(self, size: int = -1) -> bytes:
        """The next bytes; the hash is checked once the end is reached."""
        data = self._raw.read(size)
        self._digest.update(data)
        at_end = not data or size is None or size < 0
        if at_end and self._digest.hexdigest() != self._expected:
            raise BlobCorrupted(self._expected)
        return data

    def close(self) -> None:
        """Close the file underneath."""
        self._raw.close()
        super().close()


class BlobStore(Protocol):
    """What every blob store offers. Keys are SHA-256 hex digests of the content; a blob is
    written once and never changed. `put` answers the digest together with the size, which
    the caller records (one round trip fewer on a remote store)."""

    def put(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredBlob:
        """Copy a stream in, hashing as it goes; a no-op for content already held."""

    def open(self, sha256: str) -> BinaryIO:
        """A binary stream of the blob, for reading in chunks."""

    def read(self, sha256: str) -> bytes:
        """The whole blob, checked against its hash (for small files worked on in memory)."""

    def exists(self, sha256: str) -> bool:
        """Whether the blob is held."""

    def size(self, sha256: str) -> int:
        """The blob's size in bytes."""

    def held(self) -> Iterator[str]:
        """The digest of every blob held (for the storage check and backups)."""

    def age(self, sha256: str) -> float:
        """Seconds since the blob was last stored (a put of known content counts)."""

    def remove(self, sha256: str) -> None:
        """Delete a blob no record refers to (the storage check's orphans only)."""

    def unfinished(self) -> list[Unfinished]:
        """Temporary files of uploads not (yet) stored."""

    def remove_unfinished(self, name: str) -> None:
        """Delete one of those temporary files."""


class LocalBlobStore:
    """Blobs under a folder, in two levels of sub-folders named by the hash."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.incoming = self.root / "incoming"

    def _path(self, sha256: str) -> Path:
        # Only a well-formed hash ever becomes part of a path: no user input reaches the disk.
        if not _SHA256.match(sha256 or ""):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredBlob:
        """Copy a stream in, hashing as it goes; atomic, and a no-op for a known file."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp_name = tempfile.mkstemp(dir=self.incoming)
        try:
            with os.fdopen(fd, "wb") as tmp:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise BlobTooLarge(_("The file is larger than the limit of %(mb)d MB.",
                                             mb=max_bytes // (1024 * 1024)))
                    digest.update(chunk)
                    tmp.write(chunk)
                tmp.flush()
                os.fsync(tmp.fileno())
            sha256 = digest.hexdigest()
            final = self._path(sha256)
            if final.exists():
                os.unlink(tmp_name)
                # A fresh time on known content: an upload still on its way to its commit
                # must not look like an old orphan that `storage verify` may remove.
                with contextlib.suppress(OSError):
                    os.utime(final)
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(tmp_name, 0o440)
                os.replace(tmp_name, final)
            return StoredBlob(sha256, size)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def exists(self, sha256: str) -> bool:
        """Whether the blob is present."""
        return self._path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        """The blob's file for reading in chunks; reading to its end checks its hash."""
        return CheckedReader(self._path(sha256).open("rb"), sha256)

    def read(self, sha256: str) -> bytes:
        """The blob's bytes, after checking they still match their hash."""
        data = self._path(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobCorrupted(sha256)
        return data

    def size(self, sha256: str) -> int:
        """Size in bytes of a stored blob."""
        return self._path(sha256).stat().st_size

    def held(self) -> Iterator[str]:
        """The digest of every blob under the root, in order (`incoming/` is not held)."""
        for first in sorted(self.root.glob("[0-9a-f][0-9a-f]")):
            for path in sorted(first.glob("[0-9a-f][0-9a-f]/*")):
                if _SHA256.match(path.name) and path.is_file() \
                        and path.name.startswith(first.name + path.parent.name):
                    yield path.name

    def age(self, sha256: str) -> float:
        """Seconds since the blob was last stored."""
        return _age(self._path(sha256))

    def remove(self, sha256: str) -> None:
        """Delete one blob (only ever an orphan: no record refers to it)."""
        self._path(sha256).unlink(missing_ok=True)

    def unfinished(self) -> list[Unfinished]:
        """Temporary files of uploads being written, or cut short by a crash."""
        if not self.incoming.is_dir():
            return []
        return [Unfinished(p.name, p.stat().st_size, _age(p))
                for p in sorted(self.incoming.iterdir()) if p.is_file()]

    def remove_unfinished(self, name: str) -> None:
        """Delete a temporary file left in `incoming/` (by name, never a path outside it)."""
        if "/" in name or name.startswith("."):
            raise ValueError("not a file of incoming/")
        (self.incoming / name).unlink(missing_ok=True)


def _age(path: Path) -> float:
    return max(0.0, utcnow().timestamp() - path.stat().st_mtime)


def get_store() -> BlobStore:
    """The store configured for the current app (made once per app)."""
    stores = current_app.extensions.setdefault("compliance.blob_store", {})
    root = current_app.config["STORAGE_PATH"]
    if root not in stores:
        stores[root] = LocalBlobStore(root)
    return stores[root]
