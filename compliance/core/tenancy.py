"""The organisation a request or a piece of work acts for (issue 14).

One installation holds several organisations; a person belongs to one. Every domain table
that needs its own scope carries `organisation_id` (`OrganisationScoped`). Three things here:

- `current_organisation_id()`: the organisation of the signed-in person (set by `auth` at the
  start of each request through `enter`), or the one a command, job or test acts for
  (`acting_for`); None outside both.
- A new scoped row whose service did not name its organisation gets the current one, or else
  the default organisation (the first one, which the migration made from the settings): with
  one organisation nothing changes.
- A backstop under the rules: while a current organisation is known, every ORM select of a
  scoped table (lists, `session.get` by an id from the URL, exports, search) is limited to it.
  The domains' `visible_*` rules still say so themselves (`in_organisation`): the backstop
  catches a query that forgot, not a rule that is missing. A statement whose own rule names
  the organisation may say so (`names_organisation`, an execution option the backstop reads
  in O(1)): the register does, so PostgreSQL sees its organisation condition once.

Core imports no domain: the table is named by its name only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from flask import g, has_app_context, has_request_context
from sqlalchemy import ForeignKey, event, false, text
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, with_loader_criteria

from compliance.core.extensions import db

# The organisation a command, job or test acts for, above any signed-in person's.
_acting_for: ContextVar[int | None] = ContextVar("compliance_acting_for", default=None)
# The execution option by which a statement says its own where-clause limits it to this
# organisation (`names_organisation`).
NAMED = "compliance_names_organisation"
# Set while a read must cross organisations on purpose (a share link is a bearer credential).
_across: ContextVar[bool] = ContextVar("compliance_across_organisations", default=False)


def current_organisation_id() -> int | None:
    """The organisation this work acts for, or None (a job across all, an anonymous page)."""
    if _across.get():
        return None
    acting = _acting_for.get()
    if acting is not None:
        return acting
    if has_request_context():
        return g.get("compliance_organisation_id")
    return None


def enter(organisation_id: int | None) -> None:
    """Note the signed-in person's organisation for the rest of the request."""
    g.compliance_organisation_id = organisation_id


@contextmanager
def acting_for(organisation_id: int | None) -> Iterator[None]:
    """Within the block, work acts for this organisation (new rows land in it, reads of
    scoped tables see only it)."""
    token = _acting_for.set(organisation_id)
    try:
        yield
    finally:
        _acting_for.reset(token)


@contextmanager
def across_organisations() -> Iterator[None]:
    """Within the block, reads are not limited to the current organisation: only for what a
    credential of its own opens whoever holds it (an evidence pack's share link)."""
    token = _across.set(True)
    try:
        yield
    finally:
        _across.reset(token)


def current_time_zone() -> str | None:
    """The time zone of the organisation this work acts for (None when none is known): the
    one `core.clock` shows "today" in during a request."""
    organisation_id = current_organisation_id()
    if organisation_id is None or not has_app_context():
        return None
    # Looked up once per organisation and app context: a page asks the clock many times.
    zones = g.setdefault("compliance_time_zones", {})
    if organisation_id not in zones:
        # A plain read of the organisation table (no scoped entity, nothing to limit).
        zones[organisation_id] = db.session.connection().scalar(
            text("SELECT time_zone FROM organisation WHERE id = :id"), {"id": organisation_id})
    return zones[organisation_id]


def default_organisation_id(connection) -> int | None:
    """The first organisation: the one the settings described before there were several."""
    if has_app_context() and g.get("compliance_default_organisation_id") is not None:
        return g.compliance_default_organisation_id
    found = connection.scalar(text("SELECT min(id) FROM organisation"))
    if has_app_context() and found is not None:
        g.compliance_default_organisation_id = found
    return found


def acting_organisation_id() -> int | None:
    """The organisation this work acts for, else the default one: whose settings (grades,
    retention rules, risk scale) a service reads and writes."""
    current = current_organisation_id()
    return current if current is not None else default_organisation_id(db.session.connection())


def organisation_for_insert(context) -> int | None:
    """The column default: the current organisation, else the default one."""
    current = current_organisation_id()
    return current if current is not None else default_organisation_id(context.connection)


class OrganisationScoped:
    """A table whose rows belong to one organisation."""

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr takes the class
        """The organisation the row belongs to."""
        return mapped_column(ForeignKey("organisation.id"), index=True,
                             default=organisation_for_insert)


def organisation_of(user) -> int | None:
    """The organisation of a person (None for the anonymous)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "organisation_id", None)


def in_organisation(user, stmt, model):
    """`stmt` limited to the rows of the user's organisation (nothing for the anonymous)."""
    organisation_id = organisation_of(user)
    if organisation_id is None:
        return stmt.where(false())
    return stmt.where(model.organisation_id == organisation_id)


def names_organisation(stmt, organisation_id: int | None):
    """`stmt` marked as limited to this organisation by its own where-clause (a rule's
    `in_organisation`), and every other scoped table it reads as reached from those rows:
    the backstop then adds nothing while that organisation is the current one."""
    if organisation_id is None:
        return stmt
    return stmt.execution_options(**{NAMED: organisation_id})


def same_organisation(user, obj) -> bool:
    """Whether a scoped row belongs to the user's organisation."""
    return organisation_of(user) is not None and \
        getattr(obj, "organisation_id", None) == organisation_of(user)


@event.listens_for(Session, "do_orm_execute")
def _limit_to_current_organisation(state) -> None:
    # Column and relationship loads follow a row already admitted; only top-level selects
    # (and session.get) are limited.
    if not state.is_select or state.is_column_load or state.is_relationship_load:
        return
    organisation_id = current_organisation_id()
    if organisation_id is None:
        return
    # A dictionary look-up, not a walk of the statement (which cost ~9 ms a statement): the
    # statement's author vouches for its own condition, for this organisation only.
    if state.execution_options.get(NAMED) == organisation_id:
        return
    state.statement = state.statement.options(_criteria_for(organisation_id))


@lru_cache(maxsize=64)
def _criteria_for(organisation_id: int):
    # Built once per organisation: analysing the lambda is most of the option's cost, and
    # every select of every request carries it.
    return with_loader_criteria(OrganisationScoped,
                                lambda cls: cls.organisation_id == organisation_id,
                                include_aliases=True)
