"""Copying every blob from one store to another (`compliance storage migrate --to URL`).

Each blob is streamed from the source into the target, which hashes what it stores (and an
S3 target has the store check that SHA-256 too); the source's reader checks the hash at the
end of the stream, so a damaged source file fails its put and is reported, never stored.
Resumable: a blob the target already holds is re-hashed there and skipped when intact,
replaced when damaged, so a run cut short is simply run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from compliance.core.storage import BlobCorrupted, BlobStore
from compliance.core.storage_check import intact_size


@dataclass
class Migration:
    """What one run did."""

    copied: int = 0
    already: int = 0
    replaced: int = 0
    bytes_copied: int = 0
    # Digest -> why it could not be copied (missing or damaged in the source).
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every blob of the source is held intact by the target."""
        return not self.failed


def _copy(source: BlobStore, target: BlobStore, sha256: str, run: Migration) -> None:
    try:
        with source.open(sha256) as stream:
            stored = target.put(stream)
    except FileNotFoundError:
        run.failed[sha256] = "missing in the source"
        return
    except BlobCorrupted:
        run.failed[sha256] = "damaged in the source"
        return
    run.copied += 1
    run.bytes_copied += stored.size


def migrate(source: BlobStore, target: BlobStore,
            progress: Callable[[int, str], None] | None = None) -> Migration:
    """Copy every blob the source holds into the target, verifying each hash."""
    run = Migration()
    for number, sha256 in enumerate(source.held(), 1):
        if target.exists(sha256):
            if intact_size(target, sha256) is not None:
                run.already += 1
                continue
            target.remove(sha256)  # damaged there: copied again below
            run.replaced += 1
        _copy(source, target, sha256, run)
        if progress is not None:
            progress(number, sha256)
    return run
