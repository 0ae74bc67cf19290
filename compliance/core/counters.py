"""Named counters (e.g. the next number of a document code), safe under concurrency."""

from __future__ import annotations

from sqlalchemy import String, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from compliance.core.extensions import db


class Counter(db.Model):
    """The last value handed out under a name."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


def scoped(name: str, organisation_id: int | None) -> str:
    """The counter's name within an organisation (a reference such as DG-2026-01 is unique
    within one): "<organisation id>/<name>"."""
    return name if organisation_id is None else f"{organisation_id}/{name}"


def next_value(name: str, organisation_id: int | None = None) -> int:
    """Read the counter, add one and write it back: one value per caller, none lost. With an
    organisation, the counter is that organisation's own."""
    name = scoped(name, organisation_id)
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(Counter).values(name=name, value=0).on_conflict_do_nothing())
    # The row lock makes a concurrent caller wait for our commit before it reads.
    counter = db.session.execute(
        select(Counter).where(Counter.name == name).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    counter.value = counter.value + 1
    db.session.flush()
    return counter.value


def current_value(name: str, organisation_id: int | None = None) -> int:
    """The last value handed out (0 when none)."""
    name = scoped(name, organisation_id)
    return db.session.scalar(select(Counter.value).where(Counter.name == name)) or 0
