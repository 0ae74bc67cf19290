"""What every register page shares: a column sort chosen from the register's own list of keys
(never a column named by the URL), due dates marked in words and a badge, and each person's
last filters on each register, re-applied when they come back without any."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from flask import has_request_context, request
from flask_babel import gettext, ngettext
from markupsafe import Markup, escape
from sqlalchemy import ForeignKey, String, Text, bindparam, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from compliance.core import uow
from compliance.core.extensions import db

SOON_DAYS = 30
CLEAR = "clear"


class RegisterView(db.Model):
    """The filters and sort a person last used on one register."""

    __tablename__ = "register_view"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    register: Mapped[str] = mapped_column(String(40), primary_key=True)
    params: Mapped[str] = mapped_column(Text, default="{}")


@dataclass(frozen=True)
class Sort:
    """The column a register is sorted by, and which way."""

    key: str
    descending: bool = False

    def param(self, key: str) -> str:
        """The sort a column's header link asks for: this column, the other way if it is the
        current one."""
        return f"-{key}" if key == self.key and not self.descending else key

    def aria(self, key: str) -> str | None:
        """The header's aria-sort: only the sorted column carries one."""
        if key != self.key:
            return None
        return "descending" if self.descending else "ascending"

    @property
    def value(self) -> str:
        """The sort as the URL says it."""
        return f"-{self.key}" if self.descending else self.key


def sort_from(value: str | None, allowed: Iterable[str], default: str) -> Sort:
    """The sort a URL asks for when it is one of the register's keys ("-key": descending),
    else the register's default."""
    value = value or ""
    key = value.removeprefix("-")
    if key not in set(allowed):
        key, value = default.removeprefix("-"), default
    return Sort(key, value.startswith("-"))


def sorted_rows(rows: list, sort: Sort, keys: Mapping[str, Callable]) -> list:
    """Rows sorted in Python by the key function of the sort (the rows' own order breaks ties:
    Python's sort is stable, so the query's order is the secondary one)."""
    return sorted(rows, key=keys[sort.key], reverse=sort.descending)


@dataclass
class Remembered:
    """The filters to apply, and whether they came from the person's last visit."""

    args: dict[str, str]
    restored: bool = False


def remembered(user, register: str, args: Mapping, keys: Iterable[str]) -> Remembered:
    """The register's filters: those the URL names (kept for next time), else the ones this
    person used last; `?clear=1` forgets them."""
    keys = tuple(keys)
    if args.get(CLEAR):
        _store(user.id, register, {})
        return Remembered({})
    if any(key in args for key in keys):
        chosen = {key: str(args[key]) for key in keys if args.get(key)}
        _store(user.id, register, chosen)
        return Remembered(chosen)
    saved = _saved(user.id, register)
    if saved is None:
        return Remembered({})
    try:
        values = json.loads(saved)
    except ValueError:
        values = {}
    chosen = {key: str(values[key]) for key in keys if isinstance(values, dict)
              and isinstance(values.get(key), str | int) and values.get(key)}
    return Remembered(chosen, restored=bool(chosen))


def _saved(user_id: int, register: str) -> str | None:
    """The filters kept for this person and register, as stored (None: none kept)."""
    # A plain read through the session's connection: loading the row as an object (identity
    # map, instance state) cost more than the rest of remembering, on every register page.
    return db.session.connection().scalar(_SAVED, {"user_id": user_id, "register": register})


_SAVED = select(RegisterView.params).where(RegisterView.user_id == bindparam("user_id"),
                                           RegisterView.register == bindparam("register"))


def _store(user_id: int, register: str, chosen: dict[str, str]) -> None:
    """Keep the filters, writing only when they changed (a register view is a read)."""
    if not has_request_context() or request.method != "GET":
        # A refused form shown again over a register keeps what was remembered: a post's
        # own changes must never be rolled back to write a preference.
        return
    saved = _saved(user_id, register)
    text = json.dumps(chosen, sort_keys=True, ensure_ascii=False)
    if (saved if saved is not None else "{}") == text:
        return
    # A writer from here on: the read so far is rolled back, and the write lock (taken first
    # by every writer) keeps two tabs of the same person from inserting the row twice.
    uow.begin_writing()
    db.session.execute(delete(RegisterView).where(RegisterView.user_id == user_id,
                                                  RegisterView.register == register))
    if chosen:
        db.session.add(RegisterView(user_id=user_id, register=register, params=text))
    db.session.flush()


def due_marker(today: date, soon_days: int = SOON_DAYS) -> Callable[[date | None], Markup]:
    """A function that marks a due date as "Reviews due" does: overdue (red) or due within
    `soon_days` (amber), in words on the badge, never by colour alone; empty otherwise.
    Each date is worded once per page."""
    cache: dict[date | None, Markup] = {}

    def mark(day: date | None) -> Markup:
        if day not in cache:
            cache[day] = _mark(day, today, soon_days)
        return cache[day]

    return mark


def _mark(day: date | None, today: date, soon_days: int) -> Markup:
    if day is None:
        return Markup("")
    days = (day - today).days
    if days < 0:
        text, style = ngettext("Overdue by %(num)d day", "Overdue by %(num)d days", -days), \
            "danger"
    elif days == 0:
        text, style = gettext("Due today"), "warning"
    elif days <= soon_days:
        text, style = ngettext("Due in %(num)d day", "Due in %(num)d days", days), "warning"
    else:
        return Markup("")
    return Markup('<span class="badge text-bg-{}" data-due="{}">{}</span>').format(
        style, "overdue" if days < 0 else "soon", escape(text))
