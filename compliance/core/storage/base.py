"""What every blob store is and shares: the protocol, its errors and the checked reader."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from flask_babel import gettext as _

from compliance.core.errors import DomainError

CHUNK = 1024 * 1024
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class BlobTooLarge(DomainError):
    """The upload passed the configured size limit."""

    status = 413


def too_large(max_bytes: int) -> BlobTooLarge:
    """The refusal of an upload past `max_bytes`."""
    return BlobTooLarge(_("The file is larger than the limit of %(mb)d MB.",
                          mb=max_bytes // (1024 * 1024)))


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

    def browser_url(self, sha256: str, filename: str, mimetype: str) -> str | None:
        """A short-lived address a browser may fetch the blob from directly, or None when
        the store is not reachable by browsers (then the app sends the file itself)."""
