"""Blobs in a folder on this machine: the embedded default."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from compliance.core.clock import utcnow
from compliance.core.storage.base import (
    CHUNK,
    SHA256_HEX,
    BlobCorrupted,
    CheckedReader,
    StoredBlob,
    Unfinished,
    too_large,
)


class LocalBlobStore:
    """Blobs under a folder, in two levels of sub-folders named by the hash."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.incoming = self.root / "incoming"

    def __repr__(self) -> str:
        return f"LocalBlobStore({self.root.resolve()})"

    def _path(self, sha256: str) -> Path:
        # Only a well-formed hash ever becomes part of a path: no user input reaches the disk.
        if not SHA256_HEX.match(sha256 or ""):
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
                        raise too_large(max_bytes)
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
                    moment = utcnow().timestamp()  # the app's clock, which age() reads
                    os.utime(final, (moment, moment))
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
                if SHA256_HEX.match(path.name) and path.is_file() \
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

    def browser_url(self, sha256: str, filename: str, mimetype: str) -> str | None:
        """None: only the app reads this folder."""
        return None


def _age(path: Path) -> float:
    return max(0.0, utcnow().timestamp() - path.stat().st_mtime)


