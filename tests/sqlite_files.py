"""A SQLite app's database as a file: copied aside and put back (milliseconds), so a long
test can start each part on the same small database instead of one that keeps growing."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from compliance.core.extensions import db


def database_file(app) -> Path:
    """The SQLite file the app writes to."""
    return Path(make_url(app.config["DATABASE_URL"]).database)


def _close(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def put_back(app, source: Path) -> None:
    """Make `source` the app's database file (no connection is open across the copy)."""
    _close(app)
    path = database_file(app)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, path)


def snapshot(app, suffix: str = ".world") -> Path:
    """A copy of the database as it is now, beside it."""
    with app.app_context():
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    _close(app)
    copy = database_file(app).with_suffix(suffix)
    shutil.copyfile(database_file(app), copy)
    return copy
