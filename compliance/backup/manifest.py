"""The manifest of a backup: what the database held (rows per table, the audit trail's head,
the schema revision) and every stored file it refers to, with its hash.

It is read from the copy itself (SQLite) or from the very snapshot the dump is made of
(PostgreSQL), so it describes exactly what a restore brings back, however busy the app was.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import Connection, MetaData, func, inspect, select, text

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import named_files
from compliance.core.storage_check import blob_columns, live

FORMAT = 1
NAME = "manifest.json"


@dataclass
class Manifest:
    """What one backup holds."""

    database: str
    created_at: str
    schema_revision: str | None
    tables: dict[str, int]
    trail_events: int
    trail_last_seq: int | None
    trail_head: str | None
    # Every file copied: those rows name, and earlier files the audit trail names.
    blobs: dict[str, int] = field(default_factory=dict)
    # Referenced, but missing or damaged in the store when the backup was made.
    unreadable: list[str] = field(default_factory=list)
    database_file: str = ""
    database_sha256: str = ""
    # False for an object store (S3): the files stay there, the manifest lists their hashes
    # and sizes, and a restore checks each one in the store the new instance points at.
    blobs_included: bool = True
    # Which store the files were in (no credentials: those are never in its URL).
    store: str = ""
    format: int = FORMAT

    def write(self, folder: Path) -> None:
        """Save as manifest.json in the backup folder."""
        text_ = json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False)
        (folder / NAME).write_text(text_ + "\n", encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """Load a backup folder's manifest (ValueError when absent or not one of ours)."""
        path = folder / NAME
        if not path.is_file():
            raise ValueError(f"{path} not found: this folder is not a backup.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"{path}: unknown manifest format {data.get('format')!r}.")
            return cls(**data)
        except (json.JSONDecodeError, TypeError) as error:
            raise ValueError(f"{path} is damaged: {error}") from error


@dataclass(frozen=True)
class Contents:
    """What a database holds, as the manifest records it."""

    schema_revision: str | None
    tables: dict[str, int]
    trail_events: int
    trail_last_seq: int | None
    trail_head: str | None
    blobs: frozenset[str]
    named: frozenset[str] = frozenset()


def describe(conn: Connection, metadata: MetaData) -> Contents:
    """Rows per table, the trail's head and the referenced files, in one transaction."""
    present = set(inspect(conn).get_table_names())
    tables = {table.name: conn.scalar(select(func.count()).select_from(table))
              for table in metadata.sorted_tables if table.name in present}
    trail = AuditEvent.__table__
    head = conn.execute(select(trail.c.seq, trail.c.hash).order_by(trail.c.seq.desc())
                        .limit(1)).first() if trail.name in present else None
    revision = (conn.scalar(text("SELECT version_num FROM alembic_version"))
                if "alembic_version" in present else None)
    blobs = frozenset(sha for column in blob_columns(metadata) if column.table.name in present
                      for sha in conn.scalars(select(column).where(live(column))
                                              .distinct()))
    named = frozenset(named_files(conn)) if trail.name in present else frozenset()
    return Contents(revision, tables, tables.get(trail.name, 0),
                    head.seq if head else None, head.hash if head else None, blobs, named)


def differences(manifest: Manifest, contents: Contents) -> list[str]:
    """How a database differs from what the manifest recorded (nothing when they agree)."""
    found = []
    if contents.schema_revision != manifest.schema_revision:
        found.append(f"schema revision {contents.schema_revision} instead of "
                     f"{manifest.schema_revision}")
    for name in sorted(set(manifest.tables) | set(contents.tables)):
        expected, actual = manifest.tables.get(name), contents.tables.get(name)
        if expected != actual:
            found.append(f"table {name}: {actual} rows instead of {expected}")
    if (contents.trail_last_seq, contents.trail_head) != (manifest.trail_last_seq,
                                                          manifest.trail_head):
        found.append(f"audit trail ends at event {contents.trail_last_seq} "
                     f"({contents.trail_head}) instead of {manifest.trail_last_seq} "
                     f"({manifest.trail_head})")
    unrecorded = contents.blobs - set(manifest.blobs) - set(manifest.unreadable)
    if unrecorded:
        found.append(f"{len(unrecorded)} file(s) named by rows are not in the manifest")
    return found
