"""Backup and restore on one machine: the database (a consistent copy taken while the app
runs), the stored files it refers to, and a manifest to check both against.

A backup folder holds `compliance.sqlite` (or `database.dump` for PostgreSQL), `files/`
(the store's layout, `<aa>/<bb>/<sha256>`) and `manifest.json`. A restore goes only into an
empty instance, checks the folder against its manifest first, and the restored instance
against it after (rows per table, the trail's head, every file's hash, the whole chain).

With an object store (the distributed layout, S3) the files are not copied into the folder:
they are kept once, in the bucket, which has its own replication or versioning; the manifest
lists every file the database names, with its size, and a restore into an instance pointed at
that bucket (or a copy of it made by `storage migrate`) re-hashes each one there.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import verify_all as verify_trails
from compliance.auth.models import User
from compliance.backup import engines
from compliance.backup.manifest import Manifest, describe, differences
from compliance.core.clock import utcnow
from compliance.core.extensions import db
from compliance.core.storage import BlobCorrupted, BlobStore, LocalBlobStore, get_store
from compliance.core.storage_check import intact_size

FILES = "files"


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


def _dialect() -> str:
    name = db.engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups of a {name} database are not supported.")
    return name


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def create(folder: Path) -> Manifest:
    """Back up the database and its files into a new (or empty) folder."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give each backup a new folder.")
    dialect = _dialect()
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / engines.file_name(dialect)

    def described(conn):
        return describe(conn, db.metadata)

    try:
        if dialect == "sqlite":
            contents = engines.backup_sqlite(db.engine, copy, described,
                                             current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
        else:
            contents = engines.backup_postgresql(db.engine, copy, described)
    except engines.EngineError as error:
        raise BackupError(str(error)) from error
    store = get_store()
    included = isinstance(store, LocalBlobStore)
    blobs, unreadable = _files(store, LocalBlobStore(folder / FILES) if included else None,
                               contents)
    manifest = Manifest(
        database=dialect, unreadable=unreadable, created_at=utcnow().isoformat(timespec="seconds"),
        schema_revision=contents.schema_revision, tables=contents.tables,
        trail_events=contents.trail_events, trail_last_seq=contents.trail_last_seq,
        trail_head=contents.trail_head, blobs=blobs, database_file=copy.name,
        database_sha256=_sha256_of(copy), blobs_included=included, store=repr(store))
    manifest.write(folder)
    return manifest


def _files(store: BlobStore, target: LocalBlobStore | None, contents) -> tuple[dict, list]:
    """Each file's size (copied into `target` when there is one) and the unreadable ones."""
    # Files are written before the rows that name them commit: all of these are held.
    blobs, unreadable = {}, []
    for sha256 in sorted(contents.blobs | contents.named):
        try:
            if target is None:  # an object store: listed, left where it is
                blobs[sha256] = store.size(sha256)
                continue
            with store.open(sha256) as stream:
                blobs[sha256] = target.put(stream).size
        except (FileNotFoundError, ValueError, BlobCorrupted):
            # A digest only the trail names may be of a file never stored (a pack checked).
            if sha256 in contents.blobs:
                unreadable.append(sha256)
    return blobs, unreadable


def check_folder(folder: Path) -> tuple[Manifest, list[str]]:
    """The folder's manifest and how the folder differs from it (database file, files)."""
    try:
        manifest = Manifest.read(folder)
    except ValueError as error:
        raise BackupError(str(error)) from error
    problems = []
    copy = folder / manifest.database_file
    if not copy.is_file():
        return manifest, [f"{copy} is missing"]
    if _sha256_of(copy) != manifest.database_sha256:
        problems.append(f"{copy.name} does not match the SHA-256 the manifest recorded")
    elif manifest.database == "sqlite":
        contents = engines.describe_sqlite_file(copy, lambda c: describe(c, db.metadata))
        problems.extend(differences(manifest, contents))
    if manifest.blobs_included:
        files = LocalBlobStore(folder / FILES)
        problems.extend(f"file {sha256} is missing or damaged in the backup"
                        for sha256 in manifest.blobs
                        if not files.exists(sha256) or intact_size(files, sha256) is None)
    return manifest, problems


def ensure_empty_target(manifest: Manifest) -> None:
    """Refuse a target instance that already holds people, events or files."""
    dialect = _dialect()
    if dialect != manifest.database:
        raise BackupError(f"This is a backup of a {manifest.database} database; this instance "
                          f"uses {dialect}. Restore it into an instance of the same kind.")
    present = set(inspect(db.engine).get_table_names())
    users = db.session.scalar(select(func.count()).select_from(User)) \
        if User.__tablename__ in present else 0
    events = db.session.scalar(select(func.count()).select_from(AuditEvent)) \
        if AuditEvent.__tablename__ in present else 0
    # Files of a backup that left them in the object store are expected there already.
    files = sum(1 for _ in get_store().held()) if manifest.blobs_included else 0
    if users or events or files:
        raise BackupError(
            f"The target instance is not empty ({users} user(s), {events} audit event(s), "
            f"{files} stored file(s)): a restore goes only into a new instance. Point "
            "COMPLIANCE_INSTANCE_PATH (or COMPLIANCE_DATABASE_URL and COMPLIANCE_STORAGE_PATH) "
            "at an empty one; nothing was changed.")


def restore(folder: Path, manifest: Manifest) -> None:
    """Bring the database and the files back into the (checked, empty) instance."""
    db.session.remove()
    copy = folder / manifest.database_file
    try:
        if manifest.database == "sqlite":
            engines.restore_sqlite(copy, db.engine, current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
        else:
            engines.restore_postgresql(copy, db.engine)
    except engines.EngineError as error:
        raise BackupError(str(error)) from error
    if not manifest.blobs_included:
        return
    files, store = LocalBlobStore(folder / FILES), get_store()
    for sha256 in sorted(manifest.blobs):
        with files.open(sha256) as stream:
            store.put(stream)


def check_restored(manifest: Manifest) -> list[str]:
    """How the restored instance differs from the manifest; nothing when the restore is whole."""
    with db.engine.connect() as conn:
        problems = differences(manifest, describe(conn, db.metadata))
    store = get_store()
    where = "" if manifest.blobs_included else (
        f" (the backup left its files in {manifest.store}: point COMPLIANCE_STORAGE_URL at "
        "that store or at a copy of it)")
    problems.extend(f"file {sha256} is missing or damaged after the restore{where}"
                    for sha256 in manifest.blobs
                    if not store.exists(sha256) or intact_size(store, sha256) is None)
    # Each organisation's chain on its own; the installation's last event (its seq and hash)
    # was compared with the manifest's above.
    problems.extend(f"audit trail of organisation {organisation_id} broken at event "
                    f"{verdict.broken_at}: {verdict.reason}"
                    for organisation_id, verdict in verify_trails().items() if not verdict.ok)
    return problems
