"""Declarative base, naming convention, write intent, transaction set-up per database, the
one insert that ignores duplicates, and the checks of a row a request names (its parent, its
version)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, registry
from sqlalchemy.types import TypeDecorator

from compliance.core.clock import utcnow
from compliance.core.errors import Conflict, NotFound

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Whether the transaction about to begin will write. SQLite then takes the write lock at
# BEGIN, so two read-modify-write transactions queue instead of silently losing one update.
_write_intent: ContextVar[bool] = ContextVar("compliance_write_intent", default=False)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; SQLite forgets the zone, so it is put back on load."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Refuse naive datetimes and normalise to UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use compliance.core.clock.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        """Return aware UTC datetimes whatever the backend kept."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every model, with the constraint naming convention Alembic relies on."""

    registry = registry(metadata=MetaData(naming_convention=NAMING_CONVENTION),
                        type_annotation_map={datetime: UTCDateTime()})


class TimestampMixin:
    """Creation and update times, in UTC."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def set_write_intent(value: bool) -> None:
    """Declare whether transactions begun from now on in this context will write."""
    _write_intent.set(value)


@contextmanager
def write_intent() -> Iterator[None]:
    """Run the enclosed transactions as writers (BEGIN IMMEDIATE on SQLite)."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


# SQLite takes at most 32,766 bound values in one statement: rows go in slices of this many.
INSERT_SLICE = 500


def insert_ignoring_duplicates(session: Session, model, rows: list[dict],
                               unique: list[str]) -> list[int]:
    """INSERT … ON CONFLICT DO NOTHING on the unique columns; returns the new rows' ids."""
    if not rows:
        return []
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    ids: list[int] = []
    for start in range(0, len(rows), INSERT_SLICE):
        statement = (insert(model).values(rows[start:start + INSERT_SLICE])
                     .on_conflict_do_nothing(index_elements=unique).returning(model.id))
        ids.extend(session.scalars(statement))
    return ids


# PostgreSQL's counterpart of SQLite's BEGIN IMMEDIATE: one transaction-scoped lock that every
# writer takes first. Writers then queue instead of deadlocking on row locks taken in different
# orders (the audit trail appends under this same lock, so its chain never forks).
WRITE_LOCK_KEY = 0x150_9001


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Install per-database connection behaviour on an engine."""
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "begin")
        def _postgresql_begin(connection):
            if _write_intent.get():
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

        return
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_connection, _record):
        # Let SQLAlchemy's begin event, not the driver, decide when transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


# Tables and indexes made by raw DDL (full-text search); autogenerate must not touch them.
raw_ddl_names: set[str] = set()


def include_name(name, type_, parent_names) -> bool:
    """Alembic filter: leave out objects that the models do not describe."""
    return not (name and any(name == n or name.startswith(n + "_") for n in raw_ddl_names))


def get_child(session: Session, model, child_id: int, message: str, **parent):
    """A row that belongs to the parent named (e.g. `audit_id=3`), or NotFound with the
    message: an id from the URL never reaches another parent's row."""
    row = session.get(model, child_id)
    if row is None or any(getattr(row, name) != value for name, value in parent.items()):
        raise NotFound(message)
    return row


def check_version(row, expected: int | None, message: str) -> None:
    """Refuse (409, the message) an edit of a row made on another version of it, or that names
    none: a form that lost its hidden `version` must never overwrite what is there now."""
    if expected is None or expected != row.version:
        raise Conflict(message)
