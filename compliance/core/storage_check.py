"""The storage check: every file a record refers to is held and intact; files nobody refers
to (orphans) are listed.

A record refers to a blob through a column named `blob_sha256` (the house's one spelling, on
every table that keeps a file: revisions, audit evidence, corrective-action files, evidence
packs, stamped copies); `blob_columns()` finds them in the metadata, so a new table that keeps
a file is checked as soon as its column is so named. A file is written before the transaction
that records it commits, so a crash or a refused request in between leaves an orphan: harmless
(nothing refers to it), listed, and removable once it is older than any upload in progress.
A file that only the audit trail names (the earlier file of a draft given a new one) is kept:
every original stays stored, until a signed disposition destroys it. A row whose file was so
destroyed keeps its hash (the signatures and the trail name it) but sets a column named
`blob_destroyed_at`: from then on it no longer refers to the file, which is removed from the
store once no other row refers to it (`referrers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Column, MetaData, inspect, select
from sqlalchemy.orm import Session

from compliance.core.storage import CHUNK, BlobCorrupted, BlobStore, Unfinished

BLOB_COLUMN = "blob_sha256"
# Set on a row whose file was destroyed by a disposition: the row no longer refers to it.
DESTROYED_COLUMN = "blob_destroyed_at"
# An orphan younger than this may be the file of an upload whose transaction has not yet
# committed: it is listed but never removed.
ORPHAN_GRACE_SECONDS = 3600
# `storage verify --gc`: unreferenced files older than a day (a whole day of uploads that
# may still be on their way, across hosts whose clocks differ a little).
GC_GRACE_SECONDS = 86400


@dataclass(frozen=True)
class Orphan:
    """A held file that no record refers to."""

    sha256: str
    size: int
    age_seconds: float


@dataclass
class StorageReport:
    """What the check found: referenced files (and who refers to each) and their state."""

    references: dict[str, list[str]] = field(default_factory=dict)
    intact: int = 0
    bytes_checked: int = 0
    missing: dict[str, list[str]] = field(default_factory=dict)
    corrupt: dict[str, list[str]] = field(default_factory=dict)
    orphans: list[Orphan] = field(default_factory=list)
    kept: int = 0
    unfinished: list[Unfinished] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every referenced file is held and matches its hash (orphans are fine)."""
        return not self.missing and not self.corrupt


def blob_columns(metadata: MetaData) -> list[Column]:
    """Every column through which a record refers to a stored file."""
    return [table.c[BLOB_COLUMN] for table in metadata.sorted_tables if BLOB_COLUMN in table.c]


def live(column: Column):
    """The condition under which a row refers to its file: it names one, not destroyed."""
    condition = column.is_not(None)
    if DESTROYED_COLUMN in column.table.c:
        condition = condition & column.table.c[DESTROYED_COLUMN].is_(None)
    return condition


def references(session: Session, metadata: MetaData) -> dict[str, list[str]]:
    """Each referenced digest and the records that refer to it ("revision 12", ...)."""
    found: dict[str, list[str]] = {}
    present = set(inspect(session.connection()).get_table_names())
    for column in blob_columns(metadata):
        table = column.table
        if table.name not in present:  # a database not yet migrated to the newest schema
            continue
        key = list(table.primary_key.columns)[0]
        rows = session.execute(select(key, column).where(live(column)).order_by(key))
        for row_key, sha256 in rows:
            found.setdefault(sha256, []).append(f"{table.name} {row_key}")
    return found


def referrers(session: Session, metadata: MetaData, sha256: str) -> list[str]:
    """The records that still refer to one file ("audit_evidence 3", ...), in every table
    that keeps a file."""
    found = []
    for column in blob_columns(metadata):
        table = column.table
        key = list(table.primary_key.columns)[0]
        found += [f"{table.name} {row_key}" for row_key in session.scalars(
            select(key).where(live(column), column == sha256).order_by(key))]
    return found


def intact_size(store: BlobStore, sha256: str) -> int | None:
    """The size of a held file if it still matches its digest, else None (read in chunks)."""
    size = 0
    try:
        with store.open(sha256) as handle:
            while chunk := handle.read(CHUNK):  # the empty read at the end checks the hash
                size += len(chunk)
    except BlobCorrupted:
        return None
    return size


def check(store: BlobStore, session: Session, metadata: MetaData,
          kept: set[str] = frozenset()) -> StorageReport:
    """Hash every referenced file, and list the files nobody refers to. `kept` are digests
    that something other than a row names (the audit trail): neither orphans nor checked."""
    report = StorageReport(references=references(session, metadata))
    for sha256, referrers in report.references.items():
        if not store.exists(sha256):
            report.missing[sha256] = referrers
        elif (size := intact_size(store, sha256)) is None:
            report.corrupt[sha256] = referrers
        else:
            report.intact += 1
            report.bytes_checked += size
    for sha256 in store.held():
        if sha256 in report.references:
            continue
        if sha256 in kept:
            report.kept += 1
        else:
            report.orphans.append(Orphan(sha256, store.size(sha256), store.age(sha256)))
    report.unfinished = store.unfinished()
    return report


def remove_orphans(store: BlobStore, report: StorageReport,
                   grace_seconds: float = ORPHAN_GRACE_SECONDS) -> list[str]:
    """Delete the orphans and unfinished uploads older than the grace period; returns what
    was removed. Ages are read again at removal: storing known content refreshes a file's
    time, so a file an upload has just stored again is kept."""
    removed = []
    for orphan in report.orphans:
        if store.exists(orphan.sha256) and store.age(orphan.sha256) >= grace_seconds:
            store.remove(orphan.sha256)
            removed.append(orphan.sha256)
    for temporary in report.unfinished:
        if temporary.age_seconds >= grace_seconds:
            store.remove_unfinished(temporary.name)
            removed.append(f"incoming/{temporary.name}")
    return removed
