"""Copying the database itself: SQLite's online backup API, or pg_dump/pg_restore.

Each takes a consistent copy while the app keeps running and reads the manifest's contents
from that same copy: SQLite from the copied file, PostgreSQL from the snapshot pg_dump is
given (`pg_export_snapshot`), so rows, the trail's head and the files listed always agree
with what a restore brings back.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL

from compliance.backup.manifest import Contents

SQLITE_FILE = "compliance.sqlite"
POSTGRESQL_FILE = "database.dump"
PG_TOOLS_MISSING = ("pg_dump and pg_restore (Debian package postgresql-client, the version of "
                    "the server) are needed to back up and restore a PostgreSQL database; "
                    "install them, or use pg_dump yourself as docs/admin.md section 8 shows.")


class EngineError(Exception):
    """The database could not be copied (the message says why)."""


def file_name(dialect: str) -> str:
    """The name of the database copy inside a backup folder."""
    return SQLITE_FILE if dialect == "sqlite" else POSTGRESQL_FILE


def sqlite_path(engine: Engine) -> Path:
    """The file of a SQLite database."""
    if not engine.url.database or engine.url.database == ":memory:":
        raise EngineError("Only a SQLite database in a file can be backed up or restored.")
    return Path(engine.url.database)


def _copy_sqlite(source: Path, target: Path, busy_timeout_ms: int) -> None:
    """Page by page through the backup API, in one step: one consistent read snapshot,
    while writers carry on in WAL mode."""
    src = sqlite3.connect(source, timeout=busy_timeout_ms / 1000)
    dst = sqlite3.connect(target, timeout=busy_timeout_ms / 1000)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def backup_sqlite(engine: Engine, target: Path, describe: Callable, busy_timeout_ms: int
                  ) -> Contents:
    """Copy the live database to `target` (one self-contained file) and describe the copy."""
    _copy_sqlite(sqlite_path(engine), target, busy_timeout_ms)
    copy = create_engine(f"sqlite:///{target}")
    try:
        with copy.connect() as conn:
            # One file, no -wal beside it: the copy is complete by itself.
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
            return describe(conn)
    finally:
        copy.dispose()


def describe_sqlite_file(path: Path, describe: Callable) -> Contents:
    """The contents of a SQLite copy in a backup folder (opened without changing it)."""
    copy = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with copy.connect() as conn:
            return describe(conn)
    finally:
        copy.dispose()


def restore_sqlite(source: Path, engine: Engine, busy_timeout_ms: int) -> None:
    """Replace the instance's (empty) database by the backup's copy."""
    engine.dispose()
    target = sqlite_path(engine)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(source, target, busy_timeout_ms)


def _pg_environment(url: URL) -> dict[str, str]:
    """libpq's variables for the URL: the password never appears on a command line."""
    env = dict(os.environ)
    for name, value in (("PGHOST", url.host or url.query.get("host")),
                        ("PGPORT", url.port), ("PGUSER", url.username),
                        ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value:
            env[name] = str(value)
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise EngineError(PG_TOOLS_MISSING)
    return path


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise EngineError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-2000:]}")


def backup_postgresql(engine: Engine, target: Path, describe: Callable) -> Contents:
    """pg_dump of one exported snapshot, described in that same snapshot."""
    pg_dump = _pg_tool("pg_dump")
    _pg_tool("pg_restore")  # refuse now a backup that could not be restored here
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
            contents = describe(conn)
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-owner",
                  f"--file={target}"], _pg_environment(engine.url))
    return contents


def restore_postgresql(source: Path, engine: Engine) -> None:
    """pg_restore into the instance's (empty) database, in one transaction."""
    pg_restore = _pg_tool("pg_restore")
    engine.dispose()
    # --clean drops what the dump brings back (the schema of an empty, migrated database).
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={engine.url.database}",
          str(source)], _pg_environment(engine.url))
